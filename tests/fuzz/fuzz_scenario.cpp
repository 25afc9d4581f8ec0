// libFuzzer target: scenario JSON -> parse, read, validate, and (small valid scenarios) the
// fiber graph and latency-circle report that every valid scenario gets.
// UserError / UserErrors are the expected outcome for bad input; anything else escapes.
#include <cstddef>
#include <cstdint>
#include <string>

#include "io/JsonReader.hpp"
#include "load/Load.hpp"
#include "model/Error.hpp"
#include "model/ScenarioReader.hpp"
#include "model/Validate.hpp"
#include "topology/Graph.hpp"
#include "topology/LatencyCircle.hpp"

namespace {
// Above these sizes the graph and circle are skipped to keep each execution fast.
constexpr std::size_t kMaxSites = 200;
constexpr std::size_t kMaxCities = 200;
constexpr std::size_t kMaxLinks = 2000;
constexpr std::size_t kMaxDemandPoints = 2000;
}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  namespace model = suanli::model;
  const std::string text(reinterpret_cast<const char*>(data), size);
  try {
    const auto doc = suanli::io::parse_json_text(text, "fuzz.json");
    const auto scenario = model::scenario_from_json(doc, "fuzz.json", false, nullptr);
    const auto errors = suanli::load::validate(scenario);
    if (errors.empty() && scenario.sites.size() < kMaxSites && scenario.cities.size() < kMaxCities &&
        scenario.links.size() < kMaxLinks && scenario.demand_points.size() < kMaxDemandPoints) {
      const suanli::topology::Graph graph(scenario);
      const auto report = suanli::topology::latency_circle(scenario, graph);
      (void)report;
    }
  } catch (const model::UserError&) {
  } catch (const model::UserErrors&) {
  }
  return 0;
}
