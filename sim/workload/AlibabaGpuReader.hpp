// Streams pods from an Alibaba GPU cluster trace (clusterdata 2023, openb_pod_list_*.csv).
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <vector>

#include "io/LineReader.hpp"

namespace suanli::workload {

/// One pod (task) of the Alibaba GPU trace ("Beware of Fragmentation", ATC 2023). Times in
/// seconds from the start of the trace.
struct GpuPod {
  std::string name;           ///< e.g. "openb-pod-0000"
  int cpu_milli = 0;          ///< CPU request [1/1000 core]
  int memory_mib = 0;         ///< memory request [MiB]
  int num_gpu = 0;            ///< GPUs requested (0 for a CPU-only pod)
  int gpu_milli = 0;          ///< share of each GPU [1/1000 GPU], 0-1000
  std::string gpu_spec;       ///< accepted GPU models, '|'-separated ("V100M16|V100M32"); "" = any
  std::string qos;            ///< LS, BE, Burstable, Guaranteed
  std::string phase;          ///< pod_phase: Running, Succeeded, Failed, Pending
  double creation_s = 0.0;    ///< submitted [s]
  double deletion_s = 0.0;    ///< deleted (finished or killed) [s], >= creation_s
  double scheduled_s = -1.0;  ///< placed on a node [s], >= creation_s; -1 if never (Pending pods)
};

/// Reads the pod CSV lazily. Columns are found by header name (order-independent, extra ones
/// ignored): name, cpu_milli, memory_mib, num_gpu, gpu_milli, qos, pod_phase, creation_time,
/// deletion_time, scheduled_time are required, gpu_spec is optional. An empty scheduled_time
/// means never scheduled; an empty or "nan" gpu_spec means any GPU. Checks: whole non-negative
/// resource numbers, gpu_milli <= 1000, finite non-negative times, deletion and scheduling not
/// before creation, creation times non-decreasing (the replay needs creation order; the shipped
/// openb_pod_list_default.csv is in that order). Malformed input throws
/// UserError(file, "line N", message).
class AlibabaGpuReader {
 public:
  /// Opens `path` (plain or .gz) and reads the header row; throws UserError if it is missing or
  /// lacks a required column.
  explicit AlibabaGpuReader(std::string path);

  /// The next pod, or nullopt after the last one.
  std::optional<GpuPod> next();

  /// Number (1-based) of the line last read; the header is line 1.
  std::size_t line() const { return csv_.lines().line(); }

 private:
  int count(std::size_t column) const;
  double time_s(std::size_t column) const;

  io::CsvReader csv_;
  std::size_t name_, cpu_milli_, memory_mib_, num_gpu_, gpu_milli_, qos_, phase_, creation_, deletion_,
      scheduled_;
  std::optional<std::size_t> gpu_spec_;
  const std::vector<std::string>* row_ = nullptr;  // the row being parsed
  double last_creation_s_ = 0.0;
};

}  // namespace suanli::workload
