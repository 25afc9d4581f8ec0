// Loading a scenario: the layer above the plain data of model/. It reads the scenario file, applies
// edits, converts the document (model/), reads the files the scenario names that the model cannot
// (SPECpower tables, through energy/) and validates it whole: the model's own rules, then the
// placement policies and their parameters (through policy/). model/ itself includes neither.
#pragma once

#include <string>
#include <vector>

#include "model/Error.hpp"
#include "model/Scenario.hpp"
#include "model/ScenarioReader.hpp"

namespace suanli::load {

/// Reads the SPECpower tables node types name (power_curve_file) and fills pstate 0's idle_w / max_w
/// from them; UserError naming the node type's pointer when a table is missing, malformed or disagrees.
void resolve_power_curves(model::Scenario& scenario);

/// Every placement policy name and parameter the workload classes give that the registry refuses,
/// each naming /workload/classes/K/placement (or its parameter), and a queue discipline
/// (/scheduling/queue) that is neither built in nor added.
std::vector<model::UserError> validate_policies(const model::Scenario& scenario);

/// Everything wrong with a scenario: model::validate, then validate_policies. Empty when valid.
std::vector<model::UserError> validate(const model::Scenario& scenario);

/// Reads, edits, converts, resolves the power curves of and (by default) validates a scenario file.
/// Throws UserError for the first syntax or type error, UserErrors listing every validation error.
model::LoadedScenario load_scenario(const std::string& path, const model::LoadOptions& options = {});
/// The same from a parsed document; `path` names it in messages and anchors its relative file paths.
model::LoadedScenario load_scenario_document(nlohmann::json doc, const std::string& path,
                                             const model::LoadOptions& options = {});

}  // namespace suanli::load
