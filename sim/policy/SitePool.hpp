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

/// How a job's host is chosen among those it fits in.
enum class Fit {
  kFirst,  ///< the first host in order (packs the low-numbered hosts; the others stay idle)
  kBest,   ///< the host left with the least free GPUs, then cores (keeps whole hosts free for big jobs)
};

/// Hosts of one kind (CPU-only, or with GPUs) of one site. CPU jobs may span hosts; GPU jobs must
/// fit in one host. Capacity is never oversubscribed. A host can be taken offline (switched off) when
/// it is entirely free; its capacity then counts as off, neither free nor busy.
class SitePool {
 public:
  explicit SitePool(std::vector<HostCapacity> hosts, Fit fit = Fit::kFirst);

  std::int64_t cores_total() const { return cores_total_; }
  std::int64_t cores_free() const { return cores_free_; }
  std::int64_t gpus_total() const { return gpus_total_; }
  std::int64_t gpus_free() const { return gpus_free_; }
  std::size_t host_count() const { return hosts_.size(); }
  const HostCapacity& capacity(std::size_t host) const { return hosts_[host]; }
  const HostCapacity& free(std::size_t host) const { return free_[host]; }
  std::int64_t cores_off() const { return cores_off_; }
  std::int64_t gpus_off() const { return gpus_off_; }
  bool online(std::size_t host) const { return online_[host]; }
  /// Online with nothing allocated.
  bool idle(std::size_t host) const {
    return online_[host] && free_[host].cores == hosts_[host].cores && free_[host].gpus == hosts_[host].gpus;
  }
  /// Takes an idle host offline, or brings an offline host back (std::logic_error otherwise).
  void set_online(std::size_t host, bool online);

  /// Whether the job could ever run here (when the site is empty).
  bool could_fit(int cores, int gpus) const;
  /// First-fit allocation now, or nullopt when it does not fit at the moment.
  std::optional<Allocation> allocate(int cores, int gpus);
  void release(const Allocation& allocation);

 private:
  std::optional<std::size_t> first_host(int cores, int gpus) const;
  std::optional<std::size_t> best_host(int cores, int gpus) const;

  std::vector<HostCapacity> hosts_;
  std::vector<HostCapacity> free_;  ///< zero on offline hosts
  std::vector<bool> online_;
  Fit fit_;
  std::int64_t cores_total_ = 0, cores_free_ = 0, gpus_total_ = 0, gpus_free_ = 0;
  std::int64_t cores_off_ = 0, gpus_off_ = 0;
  int max_host_cores_ = 0, max_host_gpus_ = 0;
  std::size_t first_nonfull_ = 0;  ///< every host before it has no free core
};

}  // namespace suanli::policy
