// Reads a scenario JSON file into model::Scenario (shape and types), then validates it.
#pragma once

#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "model/Scenario.hpp"

namespace suanli::model {

struct LoadOptions {
  bool lenient = false;  ///< unknown fields become warnings
  bool validate = true;  ///< run the cross-field validation pass
};

struct LoadedScenario {
  Scenario scenario;
  std::vector<std::string> warnings;
};

/// Converts a parsed document. Throws UserError (first shape/type error) naming `file` and the pointer.
Scenario scenario_from_json(const nlohmann::json& doc, const std::string& file, bool lenient,
                            std::vector<std::string>* warnings);

/// Reads the SPECpower tables node types name (power_curve_file) and fills pstate 0's idle_w / max_w
/// from their end points when omitted (they must agree when given). Throws UserError.
void resolve_power_curves(Scenario& scenario);

/// Reads, parses and (by default) validates a scenario file. Throws UserError for the first syntax or
/// type error, UserErrors listing every validation error.
LoadedScenario load_scenario(const std::string& path, const LoadOptions& options = {});

/// The fully resolved scenario (every default filled in) as JSON, in the input format.
nlohmann::json scenario_to_json(const Scenario& scenario);

}  // namespace suanli::model
