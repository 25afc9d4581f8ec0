// `suanli run`: simulates the scenario and writes summary.json, jobs.csv, timeseries.csv.
#include <unistd.h>

#include <CLI/CLI.hpp>
#include <chrono>
#include <cmath>
#include <cstdint>
#include <filesystem>
#include <iostream>
#include <optional>
#include <string>
#include <vector>

#include "capacity/Growth.hpp"
#include "cli/Commands.hpp"
#include "engine/Simulation.hpp"
#include "load/Load.hpp"
#include "metrics/RunReport.hpp"
#include "model/Error.hpp"
#include "model/ScenarioReader.hpp"
#include "model/Validate.hpp"

namespace suanli::cli {

namespace {

using model::UserError;

/// The options of `suanli run`, filled by CLI11.
struct RunOptions {
  RunInput in;
  std::string output;
  bool gzip = false;
  bool json = false;
  bool no_progress = false;
  bool no_jobs = false;       ///< no jobs.csv
  bool full_horizon = false;  ///< simulate to the horizon even when no work is left
  bool decision_log = false;
  std::vector<std::string> simgrid_args;
  std::string engine = "exact";
};

}  // namespace

model::Scenario load_run_scenario(const RunInput& in) {
  auto scenario = load(in.input);
  if (in.seed) scenario.seed = *in.seed;
  if (in.horizon_s) scenario.horizon_s = *in.horizon_s;
  if (in.max_rows) scenario.outputs.max_timeseries_rows = *in.max_rows;
  if (in.growth_month) {
    if (!scenario.growth.present)
      throw UserError(in.input.scenario, "/growth",
                      "--growth-month needs a growth section in the scenario (docs/capacity.md)");
    scenario = suanli::capacity::scenario_at_month(scenario, *in.growth_month);
  }
  for (const auto& text : in.outages) scenario.outages.push_back(model::parse_outage(text, "--outage"));
  {  // the options above change the scenario: check it again (limits included) before any work
    auto errors = suanli::load::validate(scenario);
    if (!errors.empty()) throw suanli::model::UserErrors(std::move(errors));
  }
  suanli::engine::check_runnable(scenario);
  return scenario;
}

namespace {

int run_run(const RunOptions& o) {
  if (o.output.empty()) throw UserError("suanli run", "-o", "give an output folder with -o DIR");
  namespace fs = std::filesystem;
  if (fs::exists(o.output) && !fs::is_directory(o.output))
    throw UserError(o.output, "", "exists and is not a folder; give a folder for the outputs");
  for (auto p = fs::path(o.output).parent_path(); !p.empty(); p = p.parent_path()) {
    std::error_code ec;
    const auto status = fs::status(p, ec);
    if (fs::exists(status) && !fs::is_directory(status))
      throw UserError(o.output, "",
                      p.string() + " is a file, not a folder: the output folder cannot be made below it");
    if (fs::exists(status) || p == p.parent_path()) break;
  }
  const auto scenario = load_run_scenario(o.in);
  suanli::engine::RunOptions options;
  options.output_dir = o.output;
  options.gzip = o.gzip;
  options.progress = !o.no_progress && ::isatty(STDERR_FILENO) != 0;
  options.simgrid_args = o.simgrid_args;
  options.decision_log = o.decision_log;
  options.jobs_csv = !o.no_jobs;
  options.full_horizon = o.full_horizon;
  options.executor =
      o.engine == "simgrid" ? suanli::engine::ExecutorKind::kSimGrid : suanli::engine::ExecutorKind::kExact;
  const auto t0 = std::chrono::steady_clock::now();
  const auto summary = suanli::engine::run_simulation(scenario, options);
  if (o.json)
    std::cout << summary.dump(2) << "\n";  // what summary.json holds
  else
    suanli::metrics::print_run_summary(std::cout, scenario, summary);
  std::cout << std::flush;
  std::cerr << "run: " << summary["jobs"]["submitted"].get<std::uint64_t>() << " jobs in " << elapsed_s(t0)
            << " s wall time; outputs in " << o.output << "\n";
  return 0;
}

}  // namespace

void add_run_input(CLI::App* sub, RunInput& in) {
  add_scenario(sub, in.input);
  sub->add_option("--seed", in.seed, "Override the scenario's seed: a whole number from 0 to 2^63-1")
      ->check(seed_range());
  sub->add_option("--horizon-s", in.horizon_s, "Override the simulated time, seconds (at most 10 years)")
      ->check(positive("seconds"))
      ->check(checked_number("at most 315576000 seconds (10 years)", "",
                             [](double v) { return v <= suanli::model::kMaxHorizonS; }));
  sub->add_option(
         "--max-rows", in.max_rows,
         "Refuse a run whose timeseries.csv would have more rows (samples x sites); default 10000000 "
         "(= --set /outputs/max_timeseries_rows=N)")
      ->check(checked_number("a whole number >= 1", "POSITIVE",
                             [](double v) { return v >= 1 && v == std::floor(v) && v < 9e18; }));
  sub->add_option(
      "--placement", in.input.placement,
      "Use this placement policy for every job class (= --set /workload/classes/*/placement=NAME; "
      "list: suanli policies)");
  sub->add_option(
      "--queue", in.input.queue,
      "Queue discipline of every site: fcfs, easy or conservative (= --set /scheduling/queue=NAME)");
  sub->add_option("--idle-off-s", in.input.idle_off_s,
                  "Switch hosts off after this long idle, 0: never (= --set /scheduling/power/idle_off_s=S)")
      ->check(non_negative("seconds"));
  sub->add_option(
         "--growth-month", in.growth_month,
         "Run the scenario as it stands at this month of its growth section (demand grown, additions made)")
      ->check(checked_number("a whole number of months >= 0", "NONNEGATIVE",
                             [](double v) { return v >= 0 && v == std::floor(v); }));
  sub->add_option("--outage", in.outages,
                  "Take a site out of service during the run: SITE:START_S:END_S (repeatable; as /outages)");
}

void add_engine_options(CLI::App* sub, std::vector<std::string>& simgrid_args, std::string& engine) {
  sub->add_option("--simgrid", simgrid_args, "Extra SimGrid option, e.g. --simgrid=--cfg=network/model:CM02");
  sub->add_option(
         "--engine", engine,
         "How jobs' computation and IT energy are accounted: exact (closed form, the default) or simgrid "
         "(SimGrid execs under its host energy plugin: the slower reference)")
      ->check(CLI::IsMember({"exact", "simgrid"}))
      ->capture_default_str();
}

void add_run(CLI::App& app, Commands& commands) {
  auto [run, o] = add_command<RunOptions>(
      app, commands, "run",
      "Simulate the scenario's workload and write summary.json, jobs.csv, timeseries.csv", run_run);
  add_run_input(run, o.in);
  run->add_option("-o,--output", o.output, "Output folder (created if missing)")->required();
  run->add_flag("--gzip", o.gzip, "Compress jobs.csv and timeseries.csv (.csv.gz)");
  run->add_flag("--json", o.json, "Print the summary as JSON (what summary.json holds) instead of the table");
  run->add_flag("--no-progress", o.no_progress, "No progress bar on stderr");
  run->add_flag("--no-jobs", o.no_jobs,
                "Do not write jobs.csv (one line per job: large); the summary is the same");
  run->add_flag("--full-horizon", o.full_horizon,
                "Simulate up to the horizon even when no work is left (idle hosts keep drawing power), "
                "instead of stopping when the last job ends; sweeps pass it to every run");
  run->add_flag(
      "--decision-log", o.decision_log,
      "Also write decisions.csv: every placement decision (job, candidate sites, chosen site, why); "
      "for small scenarios (one line per job)");
  add_engine_options(run, o.simgrid_args, o.engine);
}

}  // namespace suanli::cli
