// Reads a scenario JSON file into model::Scenario (shape and types), then validates it.
#pragma once

#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "model/Scenario.hpp"

namespace suanli::model {

/// One edit of a scenario document before it is read: `pointer` (RFC 6901) gets `value`.
struct ScenarioEdit {
  std::string pointer;
  nlohmann::json value;
};

/// Parses "POINTER=VALUE" (VALUE is JSON, or else taken as a string: /scheduling/queue=easy).
/// UserError naming `option` when there is no '=' or the pointer does not start with '/'.
ScenarioEdit parse_scenario_edit(const std::string& text, const std::string& option);

/// Parses "SITE:START_S:END_S" (`suanli run --outage`): the site out of service over [START_S, END_S).
/// UserError naming `option` and the text when it is not of that form; the site and times are checked
/// when the scenario is validated.
Outage parse_outage(const std::string& text, const std::string& option);

/// Applies edits in order; "*" as a pointer token means every element of that array
/// (/workload/classes/*/placement). UserError naming `option` and the pointer if one cannot apply.
void apply_scenario_edits(nlohmann::json& doc, const std::vector<ScenarioEdit>& edits,
                          const std::string& option);

struct LoadOptions {
  bool lenient = false;                ///< unknown fields become warnings
  bool validate = true;                ///< run the cross-field validation pass
  std::vector<ScenarioEdit> edits;     ///< applied to the document before it is read
  std::string edits_origin = "--set";  ///< named in messages about an edit that cannot apply
};

struct LoadedScenario {
  Scenario scenario;
  std::vector<std::string> warnings;
};

/// Converts a parsed document. Throws UserError (first shape/type error) naming `file` and the pointer.
Scenario scenario_from_json(const nlohmann::json& doc, const std::string& file, bool lenient,
                            std::vector<std::string>* warnings);

/// The fully resolved scenario (every default filled in) as JSON, in the input format. File paths
/// (weather, power curves, traces, carbon) are written absolute, so the JSON reads the same files
/// wherever it is saved.
nlohmann::json scenario_to_json(const Scenario& scenario);

}  // namespace suanli::model
