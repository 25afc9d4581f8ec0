// Renders the `suanli check` report (scenario figures + latency circle) as text and as JSON.
#pragma once

#include <nlohmann/json.hpp>
#include <ostream>

#include "model/Scenario.hpp"
#include "topology/EdgePlanner.hpp"
#include "topology/LatencyCircle.hpp"

namespace suanli::metrics {

/// Machine-readable check report: figures per site and in total, the circle, coverage, violations.
nlohmann::json check_report_json(const model::Scenario& scenario, const topology::CircleReport& circle);

/// Human-readable check report. `verbose` lists every site within each city's budget.
void print_check_report(std::ostream& out, const model::Scenario& scenario,
                        const topology::CircleReport& circle, bool verbose);

/// The edge plan. `not_fixed` are the latency-circle violations `suanli check` reports that are not
/// about demand coverage (a site beyond its city's budget from the hub, a pair of centres or central
/// cities too far apart): new edge sites do not change them, and the plan says so.
nlohmann::json edge_plan_json(const model::Scenario& scenario, const topology::EdgePlanOptions& options,
                              const topology::EdgePlan& plan,
                              const std::vector<topology::Violation>& not_fixed = {});
void print_edge_plan(std::ostream& out, const model::Scenario& scenario,
                     const topology::EdgePlanOptions& options, const topology::EdgePlan& plan,
                     const std::vector<topology::Violation>& not_fixed = {});

/// The violations of a circle report that new edge sites cannot close (every kind but demand_point).
std::vector<topology::Violation> violations_not_about_demand(const topology::CircleReport& circle);

/// The proposed sites as scenario `sites` entries (edge_dc, no servers yet), ready to paste or patch in.
nlohmann::json proposed_sites_json(const topology::EdgePlan& plan, int racks_per_site);

}  // namespace suanli::metrics
