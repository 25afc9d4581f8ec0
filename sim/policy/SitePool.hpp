// The servers of one site as the scheduler sees them: hosts with cores and GPUs, first-fit allocation.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <vector>

namespace suanli::policy {

/// Capacity of one SimGrid host (it may aggregate several servers).
struct HostCapacity {
  int cores = 0;
  int gpus = 0;
};

/// A job's share of one host. `threads` is what the host runs for it in SimGrid: its cores on a
/// CPU host; on a GPU host, the job's share of the GPUs expressed in cores (floor(cores x g / G),
/// at least 1), so the host's power follows GPU occupancy.
struct AllocationPart {
  std::size_t host = 0;  ///< index in the pool
  int cores = 0;
  int gpus = 0;
  int threads = 0;
};

struct Allocation {
  std::vector<AllocationPart> parts;
};

/// Hosts of one kind (CPU-only, or with GPUs) of one site. CPU jobs may span hosts; GPU jobs must
/// fit in one host. Capacity is never oversubscribed.
class SitePool {
 public:
  explicit SitePool(std::vector<HostCapacity> hosts);

  std::int64_t cores_total() const { return cores_total_; }
  std::int64_t cores_free() const { return cores_free_; }
  std::int64_t gpus_total() const { return gpus_total_; }
  std::int64_t gpus_free() const { return gpus_free_; }
  std::size_t host_count() const { return hosts_.size(); }
  const HostCapacity& capacity(std::size_t host) const { return hosts_[host]; }
  const HostCapacity& free(std::size_t host) const { return free_[host]; }

  /// Whether the job could ever run here (when the site is empty).
  bool could_fit(int cores, int gpus) const;
  /// First-fit allocation now, or nullopt when it does not fit at the moment.
  std::optional<Allocation> allocate(int cores, int gpus);
  void release(const Allocation& allocation);

 private:
  std::vector<HostCapacity> hosts_;
  std::vector<HostCapacity> free_;
  std::int64_t cores_total_ = 0, cores_free_ = 0, gpus_total_ = 0, gpus_free_ = 0;
  int max_host_cores_ = 0, max_host_gpus_ = 0;
  std::size_t first_nonfull_ = 0;  ///< every host before it has no free core
};

}  // namespace suanli::policy
