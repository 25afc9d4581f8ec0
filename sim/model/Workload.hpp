// The workload part of a scenario: job classes, their arrivals (Poisson or trace replay) and sizes.
#pragma once

#include <cstdint>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

namespace suanli::model {

enum class JobKind { kLatencyCritical, kAiInference, kAiTraining, kHpcBatch, kCloudService };
enum class ArrivalProcess { kPoisson, kTrace, kResample };
enum class TraceFormat { kSwf, kAzureInference, kAlibabaGpu };
enum class ServiceDistribution { kExponential, kDeterministic };
/// Where jobs of a class come from: a city's network hub, or a demand point (county seat) that reaches
/// sites over straight-line access fiber.
enum class OriginLevel { kCity, kDemandPoint };

std::string_view to_string(JobKind v);
std::string_view to_string(ArrivalProcess v);
std::string_view to_string(TraceFormat v);
std::string_view to_string(ServiceDistribution v);
std::string_view to_string(OriginLevel v);

/// Arrivals of one class. Poisson: rate_per_s, modulated by a diurnal cosine
///   rate(t) = rate_per_s * (1 + diurnal_amplitude * cos(2 pi (t/3600 - peak_hour) / 24)).
/// Trace: replay of `file`, times multiplied by time_scale, starting at the record whose time is
/// >= start_s (that record arrives at 0), at most max_jobs records; with repeat, the trace starts over
/// after its last record (one mean inter-arrival gap later) until the horizon.
/// Resample: arrival times as Poisson (rate_per_s and the diurnal cosine); each job's size and run
/// time drawn uniformly, with replacement, from the records of `file` (the trace's times unused).
/// warm_start (Poisson and resample): at time 0 the class's jobs already running in steady state are
/// submitted with the run time they have left, so a short run does not start from an empty system.
struct Arrivals {
  ArrivalProcess process = ArrivalProcess::kPoisson;
  double rate_per_s = 1.0;
  double diurnal_amplitude = 0.0;  ///< in [0, 1]
  double peak_hour = 14.0;         ///< hour of day of the peak rate
  std::string file;                ///< resolved against the scenario file's folder
  TraceFormat format = TraceFormat::kSwf;
  double time_scale = 1.0;
  double start_s = 0.0;
  std::int64_t max_jobs = -1;  ///< -1: all
  bool repeat = false;         ///< trace: start over after the last record, until the horizon
  double until_s = 0;          ///< no arrivals at or after this simulated time; 0: until the horizon
  bool warm_start = false;     ///< submit the steady-state running jobs at time 0 (Poisson, resample)
};

/// One job class with its defaults.
struct JobClass {
  std::string name;
  JobKind kind = JobKind::kAiInference;
  std::string placement;                                       ///< policy name; empty: the kind's default
  nlohmann::json placement_params = nlohmann::json::object();  ///< the policy's parameters (docs/policies.md)
  bool deferrable = false;              ///< jobs may start later than submitted, within their deadline
  std::vector<std::string> sites;       ///< allowed sites (empty: all with suitable hardware)
  std::vector<std::string> site_kinds;  ///< allowed site kinds (empty: all)
  std::vector<std::string> origins;     ///< origin cities (empty: all cities)
  OriginLevel origin_level = OriginLevel::kCity;
  Arrivals arrivals;
  double service_s = 1.0;  ///< mean run time (Poisson classes)
  ServiceDistribution service_distribution = ServiceDistribution::kExponential;
  int cores = 1;
  int gpus = 0;
  double budget_s = 0;     ///< round-trip network budget (latency_critical); 0: latency_targets.intra_city_s
  double input_bytes = 0;  ///< data sent from the origin to the executing site before the job starts
  double simulated_rate_per_s =
      0;  ///< latency_critical: simulate at most this rate, each request weighted; 0: all
  double deadline_factor = 0;       ///< ai_training: deadline = submit + factor * run time (0: none)
  double seconds_per_token = 0.02;  ///< ai_inference trace: run time = generated tokens * this
  double prefill_seconds_per_token = 0.0002;  ///< ai_inference trace: plus context tokens * this
  int cores_per_proc = 1;                     ///< hpc_batch trace: cores per SWF processor
  // cloud_service
  std::int64_t services = 0;      ///< number of long-running services
  double utilization_mean = 0.5;  ///< mean CPU utilization of a service
};

struct Workload {
  std::vector<JobClass> classes;
};

/// kAdded: a discipline added at run time (a Python one), named by Scheduling::added_queue.
enum class QueueDiscipline { kFcfs, kEasy, kConservative, kAdded };
enum class AllocationStrategy { kFirstFit, kBestFit };
enum class DvfsMode { kMax, kDeadline };
/// What becomes of the jobs an outage moved to other sites when the site is repaired.
enum class AfterRepair { kReturn, kStay };
std::string_view to_string(QueueDiscipline v);
std::string_view to_string(AfterRepair v);
std::string_view to_string(AllocationStrategy v);
std::string_view to_string(DvfsMode v);

/// Power management of each site pool's hosts.
struct PowerManagement {
  double idle_off_s = 0;          ///< switch a host off after this long idle; 0: never
  double reserve_fraction = 0.0;  ///< share of a pool's hosts kept on while idle, as spare capacity
};

/// How each site runs the jobs placed on it (every pool of every site alike).
struct Scheduling {
  QueueDiscipline queue = QueueDiscipline::kFcfs;
  std::string added_queue;  ///< the name when queue is kAdded (checked against the registry by load/)
  std::int64_t backfill_window = 256;  ///< backfilling looks this far down the queue
  AllocationStrategy allocation = AllocationStrategy::kFirstFit;
  PowerManagement power;
  DvfsMode dvfs = DvfsMode::kMax;
  /// kReturn: jobs an outage moved elsewhere that are still waiting there at the repair go back to the
  /// repaired site's queue (never running ones). kStay: they stay where they were placed.
  AfterRepair after_repair = AfterRepair::kReturn;

  /// The queue discipline's name: a built-in one, or the added one.
  std::string queue_name() const {
    return queue == QueueDiscipline::kAdded ? added_queue : std::string(to_string(queue));
  }
};

}  // namespace suanli::model
