// Small hand-built scenarios shared by the unit tests.
#include "TestScenarios.hpp"

#include "load/Load.hpp"
#include "model/Error.hpp"
#include "model/ScenarioReader.hpp"
#include "model/Validate.hpp"

namespace suanli::test {

nlohmann::json minimal_doc() {
  return nlohmann::json::parse(R"({
    "format_version": 1,
    "name": "mini",
    "network": {"fiber_latency_s_per_km": 5e-6, "route_factor": 1.5, "hop_delay_s": 1e-5},
    "cities": [
      {"name": "A", "lat_deg": 0.0, "lon_deg": 0.0, "role": "central"},
      {"name": "B", "lat_deg": 0.0, "lon_deg": 1.0, "role": "central"},
      {"name": "C", "lat_deg": 0.0, "lon_deg": 2.0}
    ],
    "node_types": [
      {"name": "cpu", "cores": 10, "pstates": [{"core_speed_flops": 1e9, "idle_w": 100, "max_w": 250},
                                               {"core_speed_flops": 5e8, "idle_w": 80, "max_w": 150}],
       "off_w": 5, "servers_per_rack": 4}
    ],
    "sites": [
      {"name": "a1", "kind": "core_cluster", "city": "A", "lat_deg": 0.0, "lon_deg": 0.0, "racks": 200,
       "nodes": [{"type": "cpu", "count": 10}], "metro_fiber_km": 10},
      {"name": "a2", "kind": "gpu_center", "city": "A", "lat_deg": 0.0, "lon_deg": 0.0, "racks": 3000,
       "nodes": [{"type": "cpu", "count": 9}], "metro_fiber_km": 30},
      {"name": "b1", "kind": "edge_dc", "city": "B", "lat_deg": 0.0, "lon_deg": 1.0, "racks": 10,
       "nodes": [{"type": "cpu", "count": 8}], "metro_fiber_km": 0}
    ],
    "links": [
      {"from": "A", "to": "B", "fiber_km": 100},
      {"from": "B", "to": "C", "fiber_km": 100}
    ]
  })");
}

model::Scenario scenario_from(const nlohmann::json& doc) {
  auto s = model::scenario_from_json(doc, "test.json", false, nullptr);
  auto errors = suanli::load::validate(s);
  if (!errors.empty()) throw model::UserErrors(std::move(errors));
  return s;
}

std::string source_dir() { return SUANLI_SOURCE_DIR; }

model::Scenario teaching_growth(std::vector<model::ScenarioEdit> edits) {
  model::LoadOptions options;
  options.edits = std::move(edits);
  return suanli::load::load_scenario(source_dir() + "/scenarios/teaching-growth.json", options).scenario;
}

}  // namespace suanli::test
