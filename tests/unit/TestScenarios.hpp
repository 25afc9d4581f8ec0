// Small hand-built scenarios shared by the unit tests.
#pragma once

#include <nlohmann/json.hpp>
#include <string>

#include "model/Scenario.hpp"
#include "model/ScenarioReader.hpp"

namespace suanli::test {

/// A valid minimal scenario document: cities A (central), B (central) and C, 100 km apart on a
/// meridian-free line; one node type; sites a1 (core, city A), a2 (core, city A), b1 (edge, B).
nlohmann::json minimal_doc();

/// Parses and validates a document (throws like load_scenario).
model::Scenario scenario_from(const nlohmann::json& doc);

/// The source tree, for shipped scenarios.
std::string source_dir();

/// scenarios/teaching-growth.json as shipped, with `edits` (JSON pointers, as --set) applied.
model::Scenario teaching_growth(std::vector<model::ScenarioEdit> edits = {});

}  // namespace suanli::test
