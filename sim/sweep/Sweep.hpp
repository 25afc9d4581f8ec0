// Parameter sweeps, the pure part: the sweep file, its expansion into runs, the metrics taken from
// each run's summary.json, and the statistics across replications (docs/sweeps.md). No processes here.
#pragma once

#include <cstdint>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

#include "model/ScenarioReader.hpp"

namespace suanli::sweep {

/// One value of an axis: a label for tables and the scenario edits it stands for.
struct AxisValue {
  std::string label;
  std::vector<model::ScenarioEdit> edits;
};

struct Axis {
  std::string name;
  std::vector<AxisValue> values;
};

/// A sweep file (format: docs/sweeps.md).
struct SweepSpec {
  std::string source_file;  ///< for messages
  std::string name;
  std::string scenario;    ///< base scenario, resolved against the sweep file's folder
  std::uint64_t seed = 1;  ///< replication r runs with seed + r (the same in every configuration)
  int replications = 1;
  std::vector<model::ScenarioEdit> set;  ///< edits applied to every run, before the axes'
  std::vector<Axis> axes;
  /// The design: empty for the full grid (every combination of the axes' values); else the listed
  /// points, each one value index per axis, in the file's order.
  std::vector<std::vector<std::size_t>> points;
  std::vector<std::string> run_arguments;  ///< extra `suanli run` options, e.g. ["--horizon-s", "3600"]
};

/// Reads and checks a sweep file; model::UserError naming the file and JSON pointer on a bad field.
SweepSpec read_sweep(const std::string& path);
SweepSpec sweep_from_json(const nlohmann::json& doc, const std::string& file);
/// The spec back as JSON (what the sweep folder keeps as sweep.json; paths made absolute).
nlohmann::json sweep_to_json(const SweepSpec& spec);

/// One run of the sweep: a configuration (one value per axis) and a replication.
struct RunPlan {
  std::string id;         ///< "c003-r01": configuration 3, replication 1
  std::size_t index = 0;  ///< position in the full expansion (configuration-major)
  std::size_t config = 0;
  int replication = 0;
  std::uint64_t seed = 0;
  std::vector<std::string> labels;         ///< one per axis
  std::vector<model::ScenarioEdit> edits;  ///< spec.set, then each axis value's
};

/// The configurations (the cartesian product of the axes, last axis fastest, or the listed points)
/// times the replications; deterministic.
std::vector<RunPlan> expand(const SweepSpec& spec);
std::size_t config_count(const SweepSpec& spec);

/// "i/N" with 1 <= i <= N; model::UserError naming the option otherwise.
std::pair<std::size_t, std::size_t> parse_shard(const std::string& text);
/// The runs of shard i of N: those whose index % N == i - 1.
std::vector<RunPlan> shard(const std::vector<RunPlan>& runs, std::size_t i, std::size_t n);

/// The metrics a sweep records for every run, in column order.
const std::vector<std::string>& metric_names();
/// Those metrics from a run's summary.json; NaN where the run has none (no GPUs, no latency class).
std::vector<double> run_metrics(const nlohmann::json& summary);

/// Mean, sample standard deviation and 95 % Student t confidence interval of the finite values.
struct Estimate {
  std::size_t n = 0;
  double mean = 0, sd = 0, ci95_lo = 0, ci95_hi = 0;  ///< NaN when n == 0; sd and CI NaN when n == 1
};
Estimate estimate(const std::vector<double>& values);
/// The 0.975 quantile of Student's t distribution with `df` degrees of freedom (df >= 1).
double student_t_975(double df);

/// What a finished run leaves for the tables (its folder's manifest.json holds the same).
struct RunResult {
  RunPlan plan;
  std::string status;  ///< "ok" or "failed"
  int exit_code = 0;
  std::string error;            ///< the run's error line when failed
  std::vector<double> metrics;  ///< metric_names() order; empty when failed
};

/// runs.csv: one row per run (long format: run, config, replication, seed, status, exit_code, error,
/// the axis labels, then the metrics).
std::string runs_csv(const SweepSpec& spec, const std::vector<RunResult>& results);
/// summary.csv: one row per configuration: config, axis labels, n (successful runs), then for each
/// metric mean, sd, ci95_lo, ci95_hi.
std::string summary_csv(const SweepSpec& spec, const std::vector<RunResult>& results);

}  // namespace suanli::sweep
