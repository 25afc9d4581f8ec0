// What a run measures: per-job records (jobs.csv), per-site samples (timeseries.csv) and the summary.
#pragma once

#include <cstdint>
#include <memory>
#include <nlohmann/json.hpp>
#include <string>
#include <string_view>
#include <vector>

#include "energy/Facility.hpp"
#include "io/OutputFile.hpp"
#include "metrics/Statistics.hpp"
#include "model/Scenario.hpp"
#include "workload/Job.hpp"

namespace suanli::metrics {

/// The end of a job's life in a run.
/// kLost: a job on a site when it went out of service (scenario outages) that no other site could take.
enum class Outcome { kCompleted, kRejected, kUnfinished, kLost };
std::string_view to_string(Outcome v);

/// One line of jobs.csv.
struct JobRecord {
  Outcome outcome = Outcome::kCompleted;
  std::string_view reason;   ///< why rejected or unfinished ("" when completed)
  std::ptrdiff_t site = -1;  ///< where it ran or was queued; -1 when never placed
  double start_s = -1;       ///< -1 when it never started
  double end_s = -1;         ///< -1 when it did not finish
  double network_rtt_s = 0;  ///< round trip between its origin city and its site
  double energy_j = 0;       ///< its cores' share of the hosts' full-load power while it ran
};

/// Per-site figures accumulated by the engine over the run.
struct SiteTotals {
  double busy_core_s = 0;  ///< core-seconds used by jobs
  double busy_gpu_s = 0;
  std::int64_t cores_total = 0;
  std::int64_t gpus_total = 0;
  double it_energy_j = 0;  ///< from SimGrid's host energy plugin
  std::uint64_t completed = 0;
  // The facility around it, integrated over the sampling intervals (energy::facility_power).
  double loss_j = 0, cooling_j = 0, overhead_j = 0, facility_j = 0, it_sampled_j = 0;
  double carbon_kg = 0;
  double water_l = 0;
  double cost = 0;
};

/// The outdoor and grid conditions of one sample.
struct SampleConditions {
  double dry_bulb_c = 0;
  double wet_bulb_c = 0;
  double carbon_kg_per_kwh = 0;
};

/// "MM-DD HH:MM" of an hour of the (non-leap, 8,760-hour) weather year.
std::string weather_year_time(double hour_of_year);

/// The rows of jobs.csv and timeseries.csv kept in memory, column by column (what the Python module
/// turns into DataFrames). Numbers are at full precision (the CSV files round some to fixed
/// decimals); a value the CSV leaves empty is NaN, or -1 for codes, flags and trace ids.
struct RunColumns {
  bool keep_jobs = true;  ///< false: only the timeseries (big runs)
  struct Jobs {
    std::vector<std::int64_t> id, trace_id;
    /// Codes: class (index in the scenario's classes), origin (city index, or number of cities +
    /// demand-point index), site (-1: never placed), outcome (Outcome), reason (index in `reasons`).
    std::vector<std::int32_t> job_class, origin, site, outcome, reason;
    std::vector<std::int32_t> cores, gpus;
    std::vector<std::int8_t> budget_met, deadline_met;  ///< 1, 0, or -1 when not applicable
    std::vector<double> submit_s, start_s, end_s, wait_s, runtime_s, network_rtt_s, budget_s, weight,
        energy_j;
  } jobs;
  std::vector<std::string> reasons;  ///< the distinct reasons, in order of first appearance
  struct Samples {
    std::vector<double> time_s, cpu_utilization, gpu_utilization, it_power_w, loss_w, cooling_w, overhead_w,
        facility_w, pue, free_cooling, dry_bulb_c, wet_bulb_c, carbon_kg_per_h;
    std::vector<std::int32_t> site;
    std::vector<std::int64_t> running, queued;
  } timeseries;
};

/// Collects the run's measurements and writes them (streamed; committed atomically at the end).

class RunMetrics {
 public:
  /// `directory` empty: no files (the records go to `columns` only). jobs_csv false: no jobs.csv (the
  /// summary is the same). `columns` (may be null) also receives every record.
  RunMetrics(const model::Scenario& scenario, const std::string& directory, bool gzip, bool jobs_csv = true,
             RunColumns* columns = nullptr);

  void record_job(const workload::Job& job, const JobRecord& record);
  /// One row of timeseries.csv.
  void record_sample(double t_s, std::size_t site, double cpu_util, double gpu_util, std::size_t running,
                     std::size_t queued, const energy::FacilityPower& power,
                     const SampleConditions& conditions);

  /// The summary (also written as summary.json by commit()).
  nlohmann::json summary(double simulated_s, const std::vector<SiteTotals>& sites) const;
  /// Writes summary.json and renames every output into place (nothing without a directory).
  void commit(const nlohmann::json& summary);

  std::uint64_t jobs_recorded() const { return recorded_; }

  /// The jobs recorded so far, every class together (a paused run's live figures).
  struct Totals {
    std::uint64_t recorded = 0, completed = 0, rejected = 0, unfinished = 0, lost = 0;
    double wait_mean_s = 0;  ///< weighted mean wait of the jobs that started (0 when none)
  };
  Totals totals() const;

 private:
  void record_columns(const workload::Job& job, const JobRecord& r, double budget, bool budget_met,
                      bool deadline_met, double wait);

  struct ClassStats {
    std::uint64_t submitted = 0, completed = 0, rejected = 0, unfinished = 0, lost = 0;
    double weight_submitted = 0, weight_met = 0, weight_budgeted = 0;
    double weight_deadline = 0, weight_deadline_met = 0;
    Sample wait_s, rtt_s, response_s;
    std::vector<std::pair<std::string, std::uint64_t>> reasons;
  };

  const model::Scenario& scenario_;
  std::string directory_;
  bool gzip_;
  std::unique_ptr<io::OutputFile> jobs_csv_;
  std::unique_ptr<io::OutputFile> timeseries_csv_;
  RunColumns* columns_ = nullptr;
  std::vector<ClassStats> classes_;
  std::uint64_t recorded_ = 0;
  std::string line_;
};

}  // namespace suanli::metrics
