// Job sources per class (Poisson with a diurnal profile, trace replay) merged lazily in submit order.
#pragma once

#include <memory>
#include <queue>
#include <vector>

#include "model/Scenario.hpp"
#include "workload/Job.hpp"
#include "workload/Random.hpp"

namespace suanli::workload {

/// Cumulative origin weights of a class. City level: over all cities, a city weighing the total weight of
/// its demand points (1 when the scenario has none). Demand-point level: over all demand points, by
/// weight. Places outside the class's origin cities weigh 0.
std::vector<double> origin_cumulative_weights(const model::Scenario& scenario,
                                              const model::JobClass& job_class);

/// A job of a class with the class's defaults (cores, gpus, input) at `submit_s` from `origin`.
Job class_job(const model::JobClass& job_class, std::size_t class_index, double submit_s, std::size_t origin);

/// Arrival rate of a Poisson class at time t (diurnal cosine around the mean), per second.
double arrival_rate_per_s(const model::Arrivals& arrivals, double t_s);

/// Fraction of a latency-critical class's requests that are simulated (each weighs 1 / fraction).
double sampled_fraction(const model::JobClass& job_class);

/// A job's size and run time as a trace records it, for resampling.
struct JobShape {
  int cores = 1;
  int gpus = 0;
  double runtime_s = 0;
  double walltime_s = 0;
  std::int64_t trace_id = -1;
};

/// The shapes of a trace's accepted records, with their run times cumulated (length-biased draws).
struct ShapeTable {
  std::vector<JobShape> shapes;
  std::vector<double> cumulative_runtime_s;
  double mean_runtime_s() const {
    return shapes.empty() ? 0 : cumulative_runtime_s.back() / static_cast<double>(shapes.size());
  }
};

/// Poisson arrivals (non-homogeneous, by thinning). Sizes and run times are the class's (exponential or
/// deterministic run time), or drawn uniformly from `shapes` (process "resample"). With warm_start the
/// source first submits, at time 0, the jobs running at 0 in steady state: jobs that arrived at -u and
/// run longer than u, found by thinning candidates drawn at the peak rate with length-biased run times
/// S and an age u uniform in [0, S) (exact for the diurnal rate when capacity does not bind).
class PoissonSource : public JobSource {
 public:
  PoissonSource(const model::Scenario& scenario, std::size_t class_index, std::uint64_t seed,
                double horizon_s, std::shared_ptr<const ShapeTable> shapes = nullptr);
  std::optional<Job> next() override;

 private:
  Job draw_job(double submit_s);
  void make_warm_jobs(std::uint64_t seed);

  std::shared_ptr<const ShapeTable> shapes_;
  std::vector<Job> warm_;
  std::size_t warm_next_ = 0;
  const model::JobClass& class_;
  std::size_t class_index_;
  double horizon_s_;
  double fraction_;
  double peak_rate_;
  double t_ = 0;
  Random arrivals_rng_;
  Random job_rng_;
  std::vector<double> origins_;
  double default_budget_s_;
};

/// Long-running services of a cloud_service class: `services` jobs at time 0, each holding `cores`
/// until the horizon (the engine runs them at a time-varying utilization, see service_utilization).
class ServiceSource : public JobSource {
 public:
  ServiceSource(const model::Scenario& scenario, std::size_t class_index, std::uint64_t seed,
                double horizon_s);
  std::optional<Job> next() override;

 private:
  const model::JobClass& class_;
  std::size_t class_index_;
  double horizon_s_;
  std::int64_t emitted_ = 0;
  Random rng_;
  std::vector<double> origins_;
};

/// Utilization of a cloud service at time t: utilization_mean x the class's diurnal cosine, in [0, 1].
double service_utilization(const model::JobClass& job_class, double t_s);

/// Merges sources by submit time (ties: class order), assigning ids 0, 1, 2, ... Holds one pending
/// job per source, never a whole trace.
class MergedStream {
 public:
  void add(std::unique_ptr<JobSource> source);
  std::optional<Job> next();

 private:
  struct Pending {
    Job job;
    std::size_t source;
  };
  struct Later {
    bool operator()(const Pending& a, const Pending& b) const {
      if (a.job.submit_s != b.job.submit_s) return a.job.submit_s > b.job.submit_s;
      return a.source > b.source;
    }
  };
  std::vector<std::unique_ptr<JobSource>> sources_;
  std::priority_queue<Pending, std::vector<Pending>, Later> heap_;
  std::uint64_t next_id_ = 0;
};

/// The scenario's job classes as one stream up to `horizon_s`.
MergedStream make_job_stream(const model::Scenario& scenario, double horizon_s);

}  // namespace suanli::workload
