// `suanli step`: the run paused, driven by JSON lines on stdin and stdout (docs/engine.md "Stepping").
#include <CLI/CLI.hpp>
#include <iostream>
#include <string>
#include <vector>

#include "cli/Commands.hpp"
#include "engine/Simulation.hpp"
#include "engine/Stepper.hpp"

namespace suanli::cli {

namespace {

/// The options of `suanli step`, filled by CLI11.
struct StepOptions {
  RunInput in;
  std::string output;
  bool no_jobs = false;
  bool full_horizon = false;
  bool decision_log = false;
  std::vector<std::string> simgrid_args;
  std::string engine = "exact";
};

int run_step(const StepOptions& o) {
  const auto scenario = load_run_scenario(o.in);
  engine::RunOptions options;
  options.output_dir = o.output;
  options.simgrid_args = o.simgrid_args;
  options.jobs_csv = !o.no_jobs;
  options.full_horizon = o.full_horizon;
  options.decision_log = o.decision_log;
  options.executor = o.engine == "simgrid" ? engine::ExecutorKind::kSimGrid : engine::ExecutorKind::kExact;
  engine::Stepper stepper(scenario, options);
  engine::run_step_protocol(stepper, std::cin, std::cout);
  return 0;
}

}  // namespace

void add_step(CLI::App& app, Commands& commands) {
  auto [step, o] = add_command<StepOptions>(
      app, commands, "step",
      "Run the scenario paused, driven by JSON commands on stdin (one per line; replies on stdout): "
      "step, advance, interval, set, state, finish, quit (docs/engine.md)",
      run_step);
  add_run_input(step, o.in);
  step->add_option("-o,--output", o.output,
                   "Write the run's outputs here when it reaches its end (default: none)");
  step->add_flag("--full-horizon", o.full_horizon, "Simulate up to the horizon even when no work is left");
  step->add_flag("--no-jobs", o.no_jobs, "With -o: no jobs.csv");
  step->add_flag("--decision-log", o.decision_log, "With -o: also write decisions.csv");
  add_engine_options(step, o.simgrid_args, o.engine);
}

}  // namespace suanli::cli
