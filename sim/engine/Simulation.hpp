// `suanli run`: the workload on the SimGrid platform, with placement, site queues, power management
// and metrics.
#pragma once

#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "engine/JobExecutor.hpp"
#include "engine/StepGate.hpp"
#include "metrics/RunMetrics.hpp"
#include "model/Scenario.hpp"

namespace suanli::engine {

struct RunOptions {
  std::string output_dir;                 ///< created if missing; outputs appear atomically; "": no files
  bool gzip = false;                      ///< jobs.csv.gz and timeseries.csv.gz
  bool jobs_csv = true;                   ///< false: no jobs.csv (--no-jobs)
  bool full_horizon = false;              ///< run to the horizon even when no work is left (--full-horizon)
  bool progress = false;                  ///< progress bar on stderr (after 2 s of wall time)
  std::vector<std::string> simgrid_args;  ///< extra SimGrid options (--cfg=..., --log=...)
  bool decision_log = false;              ///< also write decisions.csv: one line per placement decision
  ExecutorKind executor = ExecutorKind::kExact;  ///< how jobs' computation and IT energy are accounted
  metrics::RunColumns* columns = nullptr;        ///< if set, also receives every job record and sample
  StepGate* gate = nullptr;  ///< if set, pauses the run between events (engine/Stepper.hpp)
};

/// Refuses, with a UserError naming the scenario file, a scenario there is nothing to run in: no
/// servers, a platform too big to build, or no workload classes.
void check_runnable(const model::Scenario& scenario);

/// Runs one simulation in this process (SimGrid allows one per process) and writes summary.json,
/// jobs.csv and timeseries.csv into options.output_dir (if given). Returns the summary.
nlohmann::json run_simulation(const model::Scenario& scenario, const RunOptions& options);

}  // namespace suanli::engine
