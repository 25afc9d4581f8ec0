// What the subcommands of `suanli` share: the registration types, exit codes, scenario input, helpers.
#pragma once

#include <CLI/CLI.hpp>
#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <ostream>
#include <string>
#include <utility>
#include <vector>

#include "model/Scenario.hpp"

namespace suanli::cli {

/// Exit codes besides 0 (ok), model::kExitUserError (2) and io::kExitInterrupted (130).
inline constexpr int kExitTargetsFailed = 1;
inline constexpr int kExitInternal = 3;

/// A registered subcommand: its CLI11 app, and what runs when the user chose it (returns the exit code).
struct Command {
  CLI::App* app = nullptr;
  std::function<int()> run;
};
using Commands = std::vector<Command>;

/// Registers one subcommand on `app`, with its own options struct (kept alive by `run`), and appends it
/// to `commands`. Every sim/cli/NAME.cpp defines one, `add_NAME`; main.cpp lists them in SUANLI_COMMANDS.
using AddCommand = void (*)(CLI::App& app, Commands& commands);

/// What add_NAME starts with: the subcommand `name` on `app`, a fresh `Options` for CLI11 to fill, and
/// `run(options)` registered as what runs when the user chooses it. Returns both, to add the options:
///   auto [sub, o] = add_command<CheckOptions>(app, commands, "check", "Validate ...", run_check);
///   sub->add_flag("--json", o.json, "Print the report as JSON");
template <typename Options>
std::pair<CLI::App*, Options&> add_command(CLI::App& app, Commands& commands, const std::string& name,
                                           const std::string& description, int (*run)(const Options&)) {
  auto options = std::make_shared<Options>();
  CLI::App* sub = app.add_subcommand(name, description);
  commands.push_back({sub, [options, run] { return run(*options); }});
  return {sub, *options};
}

/// The scenario a command reads and the edits applied before it is converted.
struct ScenarioInput {
  std::string scenario;
  bool lenient = false;
  std::vector<std::string> set;      ///< POINTER=VALUE edits of the scenario
  std::string placement;             ///< run --placement
  std::string queue;                 ///< run --queue
  std::optional<double> idle_off_s;  ///< run --idle-off-s
};

/// What `run` and `step` share: the scenario, and the run-time options applied after loading it.
struct RunInput {
  ScenarioInput input;
  std::optional<std::uint64_t> seed;
  std::optional<double> horizon_s;
  std::optional<std::int64_t> max_rows;
  std::optional<std::int64_t> growth_month;  ///< the scenario at this month of its growth
  std::vector<std::string> outages;          ///< SITE:START_S:END_S
};

/// Loads the scenario (load()), applies --seed, --horizon-s, --max-rows, --growth-month and --outage,
/// validates it again and checks there is something to run (defined in Run.cpp).
model::Scenario load_run_scenario(const RunInput& in);
/// The scenario options of `run` and `step` (SCENARIO, --lenient, --set, --seed, --horizon-s,
/// --max-rows, --placement, --queue, --idle-off-s, --growth-month, --outage), filling `in`.
void add_run_input(CLI::App* sub, RunInput& in);
/// --engine (exact or simgrid) and --simgrid (extra SimGrid options), for `run` and `step`.
void add_engine_options(CLI::App* sub, std::vector<std::string>& simgrid_args, std::string& engine);

/// The SCENARIO argument, --lenient and --set.
void add_scenario(CLI::App* sub, ScenarioInput& in);
/// Reads, edits, converts and validates the scenario (load::load_scenario); prints its warnings.
model::Scenario load(const ScenarioInput& in);

/// Fails early (before any work) when an output path cannot be written: a folder, a device or a pipe
/// is never replaced, and the folder must exist.
void check_output_path(const std::string& path);
/// Writes through a temporary file renamed into place (io::OutputFile), so a failure never leaves a
/// half-written output.
void write_atomically(const std::string& path, const std::function<void(std::ostream&)>& write);

double elapsed_s(std::chrono::steady_clock::time_point since);

/// A number option checked for what it means: finite (never nan or inf) and accepted by `ok`, else
/// "--horizon-s: expected a positive number of seconds, got -5" (CLI11 prefixes the option). CLI11's own
/// PositiveNumber and Range print their bounds with 300 digits and let nan through.
CLI::Validator checked_number(const std::string& expected, const std::string& description,
                              const std::function<bool(double)>& ok);
/// A seed: digits only, 0 to 2^63-1 (what a scenario's "seed" holds). CLI11 alone turns -1 and 2^64
/// into 18446744073709551615.
CLI::Validator seed_range();
CLI::Validator positive(const std::string& unit);
CLI::Validator non_negative(const std::string& unit);
CLI::Validator share();

}  // namespace suanli::cli
