// `suanli check`: validates a scenario and prints its latency-circle report.
#include <CLI/CLI.hpp>
#include <iostream>

#include "cli/Commands.hpp"
#include "metrics/CheckReport.hpp"
#include "topology/Graph.hpp"
#include "topology/LatencyCircle.hpp"

namespace suanli::cli {

namespace {

/// The options of `suanli check`, filled by CLI11.
struct CheckOptions {
  ScenarioInput input;
  bool json = false;
  bool verbose = false;
  bool strict = false;
};

int run_check(const CheckOptions& o) {
  const auto scenario = load(o.input);
  const suanli::topology::Graph graph(scenario);
  const auto circle = suanli::topology::latency_circle(scenario, graph);
  if (o.json)
    std::cout << suanli::metrics::check_report_json(scenario, circle).dump(2) << "\n";
  else
    suanli::metrics::print_check_report(std::cout, scenario, circle, o.verbose);
  return (o.strict && !circle.violations.empty()) ? kExitTargetsFailed : 0;
}

}  // namespace

void add_check(CLI::App& app, Commands& commands) {
  auto [check, o] = add_command<CheckOptions>(
      app, commands, "check", "Validate a scenario and print its latency-circle report", run_check);
  add_scenario(check, o.input);
  check->add_flag("--json", o.json, "Print the report as JSON");
  check->add_flag("-v,--verbose", o.verbose, "List every site (edge DCs too) within each city's budget");
  check->add_flag("--strict", o.strict, "Exit with 1 when the latency circle has violations");
}

}  // namespace suanli::cli
