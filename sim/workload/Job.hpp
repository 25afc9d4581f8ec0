// A job as the engine sees it: what it asks for, where it comes from, and how long it runs.
#pragma once

#include <cstddef>
#include <cstdint>
#include <limits>
#include <memory>
#include <optional>

namespace suanli::workload {

/// One job (or one sampled latency-critical request standing for `weight` real ones).
struct Job {
  std::uint64_t id = 0;       ///< unique in a run, in submit order
  std::size_t job_class = 0;  ///< index into scenario.workload.classes
  double submit_s = 0;
  std::size_t origin = 0;  ///< index into scenario.cities, or demand_points (class origin_level)
  int cores = 1;
  int gpus = 0;
  double runtime_s = 0;   ///< run time on its allocation (cores held exclusively)
  double walltime_s = 0;  ///< requested time (hpc_batch); 0 when unknown
  double deadline_s = std::numeric_limits<double>::infinity();  ///< absolute; inf: none
  double input_bytes = 0;      ///< sent from the origin to the executing site before it starts
  double weight = 1.0;         ///< real jobs this one stands for (sampling)
  std::int64_t trace_id = -1;  ///< job number in the replayed trace, -1 when generated
  bool warm = false;           ///< already running before time 0 (warm start): runtime_s is what is left
};

/// A lazy source of jobs in non-decreasing submit time (ids are assigned by the merger).
class JobSource {
 public:
  virtual ~JobSource() = default;
  virtual std::optional<Job> next() = 0;
};

}  // namespace suanli::workload
