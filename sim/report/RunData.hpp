// What the HTML report reads from a run folder or a sweep folder, reduced to what it shows. Memory
// stays bounded whatever the size of jobs.csv and timeseries.csv: both are streamed.
#pragma once

#include <cstddef>
#include <limits>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

namespace suanli::report {

inline constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();

/// Points per time-series line at most: the run is cut into this many equal time buckets.
inline constexpr std::size_t kMaxPoints = 1000;
/// With more sites than this, the per-site charts draw one line per site kind instead.
inline constexpr std::size_t kMaxSiteLines = 20;
/// Jobs kept per class for the latency CDF (uniform reservoir sample).
inline constexpr std::size_t kReservoirSize = 10000;
/// Rows of decisions.csv shown.
inline constexpr std::size_t kMaxDecisionRows = 200;

enum class FolderKind { kRun, kSweep };

/// A run folder has summary.json; a sweep folder has summary.csv and sweep.json. Throws
/// model::UserError(folder, "", ...) when it is neither (or does not exist).
FolderKind folder_kind(const std::string& folder);

struct CityInfo {
  std::string name;
  std::string name_zh;
  double lat_deg = kNaN;
  double lon_deg = kNaN;
};

struct SiteInfo {
  std::string name;
  std::string name_zh;
  std::string kind;
  std::string city;
  double lat_deg = kNaN;
  double lon_deg = kNaN;
  double racks = 0;
  double cores = 0;  ///< installed CPU cores (nodes x node type), from scenario.json
  double gpus = 0;   ///< installed GPUs
};

/// One downsampled line: bucket means of time (s) and of the value.
struct Line {
  std::string name;
  std::string kind;  ///< site kind of the line's sites ("" for the network line)
  std::vector<double> t_s;
  std::vector<double> y;
};

/// The network round trips of one class's jobs.
struct ClassLatency {
  std::string name;
  std::string kind;
  std::size_t placed = 0;        ///< jobs of jobs.csv with a network_rtt_s (ever placed)
  std::vector<double> sample_s;  ///< sorted uniform sample of their network_rtt_s (all if few)
  double budget_s = kNaN;        ///< round-trip budget of a latency_critical class
};

/// A run folder (written by `suanli run`).
struct RunData {
  std::string folder;
  nlohmann::json summary;
  nlohmann::json scenario;
  double simulated_s = 0;

  std::vector<CityInfo> cities;
  std::vector<SiteInfo> sites;
  /// Fiber distance reachable from a city hub within the intra-city latency target (km):
  /// intra_city_s / (fiber_latency_s_per_km x route_factor), halved in round-trip mode.
  double circle_radius_km = kNaN;

  // timeseries.csv, bucketed into at most kMaxPoints points per line.
  bool lines_by_kind = false;         ///< more than kMaxSiteLines sites: one line per site kind
  std::size_t samples_per_point = 1;  ///< most sampling instants averaged into one point
  std::vector<Line> pue;              ///< facility / IT energy per bucket, per site (or kind)
  std::vector<Line> cpu;              ///< CPU utilization (core-weighted), per site (or kind)
  std::vector<Line> gpu;              ///< GPU utilization, sites with GPUs only
  Line network_pue;
  Line network_cpu;
  Line network_gpu;               ///< empty when no site has GPUs
  std::vector<double> power_t_s;  ///< network power stack, mean over each bucket (W)
  std::vector<double> it_w, loss_w, cooling_w, overhead_w;

  // jobs.csv
  std::vector<ClassLatency> latency;  ///< in summary.json's class order

  // decisions.csv (optional)
  bool has_decisions = false;
  std::string decisions_file;
  std::vector<std::string> decision_columns;
  std::vector<std::vector<std::string>> decision_rows;  ///< the first kMaxDecisionRows
  std::size_t decision_count = 0;                       ///< rows in the file
};

/// Reads a run folder: summary.json, scenario.json, timeseries.csv[.gz], jobs.csv[.gz] and, if
/// present, decisions.csv[.gz]. Throws model::UserError naming the file (and line, for CSV) when a
/// file is missing or malformed.
RunData read_run(const std::string& folder);

/// Mean, standard deviation and 95 % confidence interval of one metric in one configuration.
struct Estimate {
  double mean = kNaN;
  double sd = kNaN;
  double lo = kNaN;
  double hi = kNaN;
};

/// A sweep folder (written by `suanli sweep`).
struct SweepData {
  std::string folder;
  nlohmann::json spec;               ///< sweep.json
  std::vector<std::string> axes;     ///< summary.csv's columns between config and n
  std::vector<std::string> metrics;  ///< names of its <metric>_mean columns, in column order
  struct Config {
    std::string id;
    std::vector<std::string> labels;  ///< one per axis
    double n = kNaN;                  ///< successful runs
    std::vector<Estimate> values;     ///< one per metric
  };
  std::vector<Config> configs;
  struct Run {
    std::string run, config, replication, seed, status, exit_code, error;
  };
  bool has_runs_csv = false;
  std::size_t runs_listed = 0;  ///< rows of runs.csv
  std::vector<Run> failed;      ///< rows whose status is not "ok"
  std::size_t run_folders = 0;  ///< folders under runs/
};

/// Reads sweep.json, summary.csv and (if present) runs.csv; model::UserError on malformed input.
SweepData read_sweep(const std::string& folder);

}  // namespace suanli::report
