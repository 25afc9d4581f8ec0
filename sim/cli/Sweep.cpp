// `suanli sweep`: runs a parameter sweep, each configuration x replication as its own run.
#include "sweep/Sweep.hpp"

#include <unistd.h>

#include <CLI/CLI.hpp>
#include <algorithm>
#include <chrono>
#include <cstddef>
#include <filesystem>
#include <iostream>
#include <nlohmann/json.hpp>
#include <optional>
#include <stdexcept>
#include <string>
#include <utility>

#include "cli/Commands.hpp"
#include "io/OutputFile.hpp"
#include "model/Error.hpp"
#include "sweep/Runner.hpp"

namespace suanli::cli {

namespace {

using model::UserError;

/// The options of `suanli sweep`, filled by CLI11.
struct SweepOptions {
  std::string sweep_file;
  std::string output;
  int jobs = 0;
  bool resume = false;
  bool keep_failed = false;  ///< --resume: do not retry failed runs
  bool force = false;        ///< --resume: even when the inputs changed
  bool dry_run = false;      ///< list the runs, run nothing
  bool no_jobs = false;      ///< runs write no jobs.csv
  bool json = false;
  std::string shard;
  bool emit_slurm = false;
  std::size_t slurm_shards = 4;
  int slurm_cpus = 2;
};

std::string this_executable() {
  std::error_code ec;
  const auto self = std::filesystem::read_symlink("/proc/self/exe", ec);
  if (ec) throw std::runtime_error("cannot find this executable (/proc/self/exe): " + ec.message());
  return self.string();
}

int run_sweep(const SweepOptions& o) {
  const auto spec = suanli::sweep::read_sweep(o.sweep_file);
  if (o.emit_slurm) {
    const auto script = suanli::sweep::slurm_script(spec, o.sweep_file, o.output, this_executable(),
                                                    o.slurm_shards, o.slurm_cpus);
    std::filesystem::create_directories(o.output);
    const auto path = (std::filesystem::path(o.output) / "sweep.slurm").string();
    suanli::io::OutputFile f(path);
    f.write(script);
    f.commit();
    std::filesystem::permissions(path, std::filesystem::perms::owner_exec,
                                 std::filesystem::perm_options::add);
    std::cout << "wrote " << path << " (" << suanli::sweep::expand(spec).size() << " runs in "
              << o.slurm_shards << " array tasks)\nsubmit: sbatch " << suanli::sweep::shell_quote(path)
              << "\nthen:   " << suanli::sweep::collect_command(this_executable(), o.output) << "\n";
    return 0;
  }
  if ((o.keep_failed || o.force) && !o.resume)
    throw UserError(o.keep_failed ? "--keep-failed" : "--force", "", "applies only with --resume");
  std::optional<std::pair<std::size_t, std::size_t>> shard;
  if (!o.shard.empty()) shard = suanli::sweep::parse_shard(o.shard);
  if (o.dry_run) {
    auto plans = suanli::sweep::expand(spec);
    if (shard) plans = suanli::sweep::shard(plans, shard->first, shard->second);
    nlohmann::json runs = nlohmann::json::array();
    for (const auto& p : plans) {
      const std::string status = suanli::sweep::run_status(o.output, p);
      nlohmann::json axes = nlohmann::json::object();
      for (std::size_t a = 0; a < spec.axes.size(); ++a) axes[spec.axes[a].name] = p.labels[a];
      runs.push_back({{"run", p.id},
                      {"config", p.config},
                      {"replication", p.replication},
                      {"seed", p.seed},
                      {"axes", axes},
                      {"status", status.empty() ? "to run" : status}});
    }
    if (o.json) {
      std::cout << nlohmann::json{{"sweep", spec.name},
                                  {"output", o.output},
                                  {"dry_run", true},
                                  {"runs", runs}}
                       .dump(2)
                << "\n";
      return 0;
    }
    std::cout << "sweep " << spec.name << ": " << plans.size() << " runs (dry run: nothing is run)\n";
    for (const auto& r : runs) {
      std::cout << "  " << r["run"].get<std::string>() << "  seed " << r["seed"].get<std::uint64_t>();
      for (const auto& [name, label] : r["axes"].items())
        std::cout << "  " << name << "=" << label.get<std::string>();
      std::cout << "  (" << r["status"].get<std::string>() << ")\n";
    }
    return 0;
  }
  suanli::sweep::SweepOptions options;
  options.output_dir = o.output;
  options.suanli_binary = this_executable();
  options.jobs = o.jobs;
  options.resume = o.resume;
  options.retry_failed = !o.keep_failed;
  options.force = o.force;
  if (o.no_jobs) options.extra_run_arguments.push_back("--no-jobs");
  options.shard = shard;
  options.progress = ::isatty(STDERR_FILENO) != 0;
  const auto t0 = std::chrono::steady_clock::now();
  const auto r = suanli::sweep::run_sweep(spec, options);
  // Exit 1 while the tables hold a failed run: of this invocation, or one kept by --keep-failed.
  const bool any_failed =
      std::any_of(r.results.begin(), r.results.end(), [](const auto& x) { return x.status != "ok"; });
  if (o.json) {
    nlohmann::json runs = nlohmann::json::array();
    for (const auto& x : r.results)
      runs.push_back({{"run", x.plan.id},
                      {"config", x.plan.config},
                      {"replication", x.plan.replication},
                      {"seed", x.plan.seed},
                      {"status", x.status},
                      {"exit_code", x.exit_code},
                      {"error", x.error}});
    const auto in = [&](const char* f) { return (std::filesystem::path(o.output) / f).string(); };
    std::cout << nlohmann::json{{"sweep", spec.name},
                                {"output", o.output},
                                {"planned", r.planned},
                                {"already_done", r.skipped},
                                {"retried", r.retried},
                                {"ok", r.ok},
                                {"failed", r.failed},
                                {"runs", runs},
                                {"files",
                                 {{"summary_csv", in("summary.csv")},
                                  {"runs_csv", in("runs.csv")},
                                  {"database", in("results.sqlite")}}}}
                     .dump(2)
              << "\n";
    return any_failed ? kExitTargetsFailed : 0;
  }
  std::cout << "sweep " << spec.name << ": " << r.planned << " runs (" << r.skipped << " already done, "
            << r.ok << " ok, " << r.failed << " failed";
  if (r.retried > 0) std::cout << "; " << r.retried << " retried";
  std::cout << ") in " << elapsed_s(t0) << " s\n"
            << "  " << o.output << "/summary.csv   per configuration: mean, sd, 95 % CI of each metric\n"
            << "  " << o.output << "/runs.csv      per run\n"
            << "  " << o.output << "/results.sqlite tables runs and metrics\n";
  return any_failed ? kExitTargetsFailed : 0;
}

}  // namespace

void add_sweep(CLI::App& app, Commands& commands) {
  auto [sweep, o] = add_command<SweepOptions>(
      app, commands, "sweep",
      "Run a parameter sweep: each configuration x replication as its own run, in parallel (docs/sweeps.md)",
      run_sweep);
  sweep->add_option("sweep", o.sweep_file, "Sweep JSON file (format: docs/sweeps.md)")->required();
  sweep
      ->add_option("-o,--output", o.output,
                   "Sweep folder (created; holds runs/, summary.csv, runs.csv, results.sqlite)")
      ->required();
  sweep->add_option("-j,--jobs", o.jobs, "Runs at once (default: the number of cores)")
      ->check(CLI::Range(1, 4096));
  sweep->add_flag(
      "--resume", o.resume,
      "Keep the runs already finished in the folder, run the rest and again those that failed; refused "
      "if the base scenario or an input file changed since (SHA-256 in the runs' manifests)");
  sweep->add_flag("--keep-failed", o.keep_failed,
                  "With --resume: keep failed runs as they are instead of retrying them");
  sweep->add_flag("--force", o.force,
                  "With --resume: go on although the base scenario or an input file changed");
  sweep->add_flag("--dry-run", o.dry_run,
                  "List the runs (id, seed, axis values, status in the folder) and run nothing");
  sweep->add_flag("--no-jobs", o.no_jobs, "Runs write no jobs.csv (suanli run --no-jobs)");
  sweep->add_flag("--json", o.json,
                  "Print the result (counts, every run's status, the output files) as JSON");
  sweep->add_option("--shard", o.shard, "Run only shard i of N (i/N): runs whose index % N == i-1");
  sweep->add_flag("--emit-slurm", o.emit_slurm,
                  "Do not run: write OUTPUT/sweep.slurm, a Slurm job array of --shards tasks");
  sweep->add_option("--shards", o.slurm_shards, "Array tasks of --emit-slurm")
      ->check(CLI::Range(1, 100000))
      ->capture_default_str();
  sweep->add_option("--cpus", o.slurm_cpus, "CPUs (runs at once) per array task of --emit-slurm")
      ->check(CLI::Range(1, 4096))
      ->capture_default_str();
}

}  // namespace suanli::cli
