// Loading a scenario above the model (see Load.hpp).
#include "load/Load.hpp"

#include <algorithm>
#include <cmath>
#include <filesystem>

#include "energy/PowerCurve.hpp"
#include "io/JsonReader.hpp"
#include "model/Validate.hpp"
#include "policy/Placement.hpp"
#include "policy/QueueScheduler.hpp"

namespace suanli::load {

void resolve_power_curves(model::Scenario& s) {
  for (std::size_t i = 0; i < s.node_types.size(); ++i) {
    auto& t = s.node_types[i];
    if (t.power_curve_file.empty() || t.pstates.empty()) continue;
    const std::string ptr = "/node_types/" + std::to_string(i);
    const std::string path = s.resolve_path(t.power_curve_file);
    std::error_code ec;
    if (!std::filesystem::is_regular_file(path, ec))
      throw model::UserError(s.source_file, ptr + "/power_curve_file",
                             "no such power curve file \"" + path + "\"");
    const auto curve = energy::read_specpower_file(path);
    t.power_curve_w = curve.watts;
    auto& p0 = t.pstates.front();
    const auto agree = [](double given, double table) {
      return std::fabs(given - table) <= 1e-6 * std::max(1.0, table);
    };
    if (std::isnan(p0.idle_w))
      p0.idle_w = curve.watts.front();
    else if (!agree(p0.idle_w, curve.watts.front()))
      throw model::UserError(s.source_file, ptr + "/pstates/0/idle_w",
                             "differs from the 0 % load power of " + path + " (" +
                                 std::to_string(curve.watts.front()) + " W); omit it or make them agree");
    if (std::isnan(p0.max_w))
      p0.max_w = curve.watts.back();
    else if (!agree(p0.max_w, curve.watts.back()))
      throw model::UserError(s.source_file, ptr + "/pstates/0/max_w",
                             "differs from the 100 % load power of " + path + " (" +
                                 std::to_string(curve.watts.back()) + " W); omit it or make them agree");
  }
}

std::vector<model::UserError> validate_policies(const model::Scenario& s) {
  std::vector<model::UserError> errors;
  for (std::size_t k = 0; k < s.workload.classes.size(); ++k) {
    const auto& c = s.workload.classes[k];
    if (c.placement.empty()) continue;
    try {
      policy::make_placement(c.placement, c.placement_params, s.seed, &s);
    } catch (const policy::PolicyError& e) {
      const bool is_object = !c.placement_params.empty();
      const std::string p = "/workload/classes/" + std::to_string(k) + "/placement";
      errors.emplace_back(s.source_file, p + (e.field.empty() ? (is_object ? "/policy" : "") : "/" + e.field),
                          e.what());
    }
  }
  const auto queues = policy::queue_scheduler_names();
  if (s.scheduling.queue == model::QueueDiscipline::kAdded &&
      std::find(queues.begin(), queues.end(), s.scheduling.added_queue) == queues.end()) {
    std::string valid;
    for (const auto& n : queues) valid += (valid.empty() ? "" : ", ") + n;
    errors.emplace_back(
        s.source_file, "/scheduling/queue",
        "unknown queue discipline \"" + s.scheduling.added_queue + "\" (valid: " + valid + ")");
  }
  return errors;
}

std::vector<model::UserError> validate(const model::Scenario& s) {
  auto errors = model::validate(s);
  auto policies = validate_policies(s);
  errors.insert(errors.end(), std::make_move_iterator(policies.begin()),
                std::make_move_iterator(policies.end()));
  return errors;
}

model::LoadedScenario load_scenario(const std::string& path, const model::LoadOptions& options) {
  const std::string text = io::read_text_file(path);
  return load_scenario_document(io::parse_json_text(text, path), path, options);
}

model::LoadedScenario load_scenario_document(nlohmann::json doc, const std::string& path,
                                             const model::LoadOptions& options) {
  model::LoadedScenario out;
  model::apply_scenario_edits(doc, options.edits, options.edits_origin);
  out.scenario = model::scenario_from_json(doc, path, options.lenient, &out.warnings);
  resolve_power_curves(out.scenario);
  if (options.validate) {
    auto errors = load::validate(out.scenario);
    if (!errors.empty()) throw model::UserErrors(std::move(errors));
  }
  return out;
}

}  // namespace suanli::load
