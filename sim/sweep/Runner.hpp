// Running a sweep: one child process of `suanli run` per run (SimGrid allows one simulation per
// process), scheduled by oneTBB; atomic run folders, resume, shards, the result tables and the SQLite
// database, Slurm job arrays and collecting shards (docs/sweeps.md).
#pragma once

#include <cstddef>
#include <functional>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "sweep/Sweep.hpp"

namespace suanli::sweep {

/// One `suanli run` of a sweep to carry out: its arguments (argv, the program first) and the file its
/// output (stdout and stderr) goes to.
struct RunLaunch {
  std::vector<std::string> args;
  std::string log;
};

/// Carries out `count` runs, at most `jobs` at once: for each run i, prepare(i) gives what to run (call
/// it just before starting the run), then done(i, exit code) takes the result (128 + signal when it
/// was killed). Both may throw (an I/O error of the sweep); the launcher then stops starting runs,
/// waits for those running, and rethrows.
using RunLauncher =
    std::function<void(std::size_t count, int jobs, const std::function<RunLaunch(std::size_t)>& prepare,
                       const std::function<void(std::size_t, int)>& done)>;

struct SweepOptions {
  std::string output_dir;
  std::string suanli_binary;  ///< the executable run for each run (normally this one)
  int jobs = 0;               ///< runs at once; 0: the number of cores
  bool resume = false;        ///< keep the runs already finished in output_dir
  bool retry_failed = true;   ///< with resume: run the failed runs again
  bool force = false;         ///< with resume: even when the base scenario or an input file changed
  std::vector<std::string> extra_run_arguments;              ///< passed to every run after the sweep's own
  std::optional<std::pair<std::size_t, std::size_t>> shard;  ///< (i, N): only shard i of N
  bool progress = false;  ///< redraw a progress line on stderr (a terminal)
  bool quiet = false;     ///< no progress at all (else a line per run when not `progress`)
  /// How runs are carried out; empty: each a child process executing suanli_binary, `jobs` at once
  /// under a oneTBB arena. (The Python module runs them in children forked from Python instead.)
  RunLauncher launcher;
};

struct SweepOutcome {
  std::size_t planned = 0;  ///< runs of this invocation (the shard's, if any)
  std::size_t skipped = 0;  ///< already finished (--resume)
  std::size_t retried = 0;  ///< failed before and run again (--resume)
  std::size_t ok = 0;
  std::size_t failed = 0;
  std::vector<RunResult> results;  ///< every finished run of the plan, in plan order (as in runs.csv)
};

/// The status of each planned run in an existing sweep folder: "ok", "failed" or "" (not run yet).
std::string run_status(const std::string& output_dir, const RunPlan& plan);

/// Runs the sweep into options.output_dir and writes its tables. UserError if the folder holds another
/// sweep, or holds this one without --resume, or (with --resume, without --force) when the base
/// scenario, the sweep file or an input file differs from what a finished run's manifest recorded.
SweepOutcome run_sweep(const SweepSpec& spec, const SweepOptions& options);

/// Reads the finished run folders of `plans` under dir/runs (missing ones are skipped) and writes
/// runs.csv, summary.csv and results.sqlite in dir. Returns the results found, in plan order.
std::vector<RunResult> write_tables(const SweepSpec& spec, const std::vector<RunPlan>& plans,
                                    const std::string& dir);

/// Merges shard folders (each from `suanli sweep --shard i/N -o SHARD`) into `out`: checks they hold
/// the same sweep, copies their run folders, and writes the tables. UserError naming missing runs.
void collect(const std::vector<std::string>& shard_dirs, const std::string& out);

/// `text` as one POSIX shell word: unchanged when it holds only [A-Za-z0-9_@%+=:,./-], else in single
/// quotes with each ' written '\''.
std::string shell_quote(const std::string& text);

/// The command that merges the shards of an --emit-slurm sweep in `output_dir`, shell-quoted, with the
/// shard glob left outside the quotes.
std::string collect_command(const std::string& suanli_binary, const std::string& output_dir);

/// A Slurm batch script running the sweep as a job array of `shards` tasks, each `suanli sweep
/// --shard i/N --resume` into <output_dir>/shard-i with `cpus` runs at once.
std::string slurm_script(const SweepSpec& spec, const std::string& sweep_file, const std::string& output_dir,
                         const std::string& suanli_binary, std::size_t shards, int cpus);

}  // namespace suanli::sweep
