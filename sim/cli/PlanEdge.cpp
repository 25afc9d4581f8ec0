// `suanli plan-edge`: proposes the fewest new edge sites that bring every demand point within budget.
#include <CLI/CLI.hpp>
#include <iostream>
#include <string>

#include "cli/Commands.hpp"
#include "metrics/CheckReport.hpp"
#include "model/Error.hpp"
#include "topology/EdgePlanner.hpp"
#include "topology/Graph.hpp"
#include "topology/LatencyCircle.hpp"

namespace suanli::cli {

namespace {

using model::UserError;

/// The options of `suanli plan-edge`, filled by CLI11.
struct PlanEdgeOptions {
  ScenarioInput input;
  double budget_ms = 0;
  std::string candidates = "demand";
  double grid_km = 20;
  bool ignore_existing_edge = false;
  bool json = false;
  std::string sites_output;
  int racks_per_new_site = 20;
};

int run_plan_edge(const PlanEdgeOptions& o) {
  if (!o.sites_output.empty()) check_output_path(o.sites_output);
  const auto scenario = load(o.input);
  suanli::topology::EdgePlanOptions p;
  p.mode = scenario.latency_targets.mode;
  p.budget_s = o.budget_ms > 0 ? o.budget_ms * 1e-3 : scenario.latency_targets.intra_city_s;
  p.candidates = o.candidates == "grid"   ? suanli::topology::CandidateSource::kGrid
                 : o.candidates == "both" ? suanli::topology::CandidateSource::kBoth
                                          : suanli::topology::CandidateSource::kDemandPoints;
  p.grid_km = o.grid_km;
  p.ignore_existing_edge = o.ignore_existing_edge;
  suanli::topology::EdgePlan plan;
  try {
    plan = suanli::topology::plan_edge(scenario, p);
  } catch (const UserError& e) {
    throw UserError("suanli plan-edge", e.location(), e.message());
  }
  // What `check` reports besides demand coverage: stated, since no new edge site changes it.
  const auto not_fixed = suanli::metrics::violations_not_about_demand(
      suanli::topology::latency_circle(scenario, suanli::topology::Graph(scenario)));
  if (o.json)
    std::cout << suanli::metrics::edge_plan_json(scenario, p, plan, not_fixed).dump(2) << "\n";
  else
    suanli::metrics::print_edge_plan(std::cout, scenario, p, plan, not_fixed);
  if (!o.sites_output.empty())
    write_atomically(o.sites_output, [&](std::ostream& out) {
      out << suanli::metrics::proposed_sites_json(plan, o.racks_per_new_site).dump(2) << "\n";
    });
  return 0;
}

}  // namespace

void add_plan_edge(CLI::App& app, Commands& commands) {
  auto [plan, o] = add_command<PlanEdgeOptions>(
      app, commands, "plan-edge",
      "Propose the fewest new edge sites that bring every demand point within its latency budget",
      run_plan_edge);
  add_scenario(plan, o.input);
  plan->add_option("--budget-ms", o.budget_ms,
                   "Access budget in ms (default: the scenario's intra-city target)")
      ->check(positive("milliseconds"));
  plan->add_option("--candidates", o.candidates, "Candidate locations: demand (county seats), grid, or both")
      ->check(CLI::IsMember({"demand", "grid", "both"}))
      ->capture_default_str();
  plan->add_option("--grid-km", o.grid_km, "Grid spacing for grid candidates, km")
      ->check(positive("kilometres"))
      ->capture_default_str();
  plan->add_flag("--ignore-existing-edge", o.ignore_existing_edge, "Plan as if no edge_dc existed yet");
  plan->add_flag("--json", o.json, "Print the plan as JSON");
  plan->add_option("--sites-output", o.sites_output,
                   "Also write the proposed sites as scenario 'sites' entries");
  plan->add_option("--racks", o.racks_per_new_site,
                   "Standard racks of each proposed site (in --sites-output)")
      ->check(CLI::Range(1, 100))
      ->capture_default_str();
}

}  // namespace suanli::cli
