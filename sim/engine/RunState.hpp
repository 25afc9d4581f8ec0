// The state a run keeps per site, pool, host and job, and its agenda of timed events: shared by the
// controller (engine/Controller.*), the power manager and the site sampler. Engine-internal.
#pragma once

#include <cstddef>
#include <cstdint>
#include <deque>
#include <functional>
#include <limits>
#include <map>
#include <memory>
#include <queue>
#include <set>
#include <utility>
#include <vector>

#include "metrics/RunMetrics.hpp"
#include "model/Scenario.hpp"
#include "policy/Power.hpp"
#include "policy/QueueScheduler.hpp"
#include "policy/SitePool.hpp"
#include "workload/Job.hpp"

namespace simgrid::s4u {
class Host;
}

namespace suanli::engine {

/// The two pools of a site, used as indexes into SiteRuntime::pools.
enum class PoolKind : std::size_t { kCpu = 0, kGpu = 1 };
constexpr std::size_t index_of(PoolKind k) { return static_cast<std::size_t>(k); }
/// The pool a job needs: GPU hosts when it asks for GPUs.
constexpr PoolKind pool_for(int gpus) { return gpus > 0 ? PoolKind::kGpu : PoolKind::kCpu; }

/// Index of an origin level into per-level tables ([city | demand point]).
constexpr std::size_t index_of(model::OriginLevel level) {
  return level == model::OriginLevel::kCity ? 0 : 1;
}

/// The running jobs of a pool as backfilling sees them: by slot, and in order of expected end.
class RunningSet {
 public:
  void add(std::size_t slot, const policy::RunningJob& r) {
    by_slot_[slot] = r;
    by_end_.insert({r.expected_end_s, slot, r, added_++});
  }
  void remove(std::size_t slot) {
    const auto it = by_slot_.find(slot);
    if (it == by_slot_.end()) return;
    by_end_.erase({it->second.expected_end_s, slot, it->second, 0});
    by_slot_.erase(it);
  }
  /// A mark: jobs added from now on are not visited by visit_by_end(visit, mark).
  std::uint64_t mark() const { return added_; }
  std::size_t size() const { return by_slot_.size(); }
  /// By slot (a deterministic order for whoever walks them all).
  const std::map<std::size_t, policy::RunningJob>& by_slot() const { return by_slot_; }
  /// Calls visit(job) in order of expected end until it returns false, for the jobs added before
  /// `mark` (a scheduler sees the pool as it was when its call began, not the jobs it starts).
  void visit_by_end(const std::function<bool(const policy::RunningJob&)>& visit, std::uint64_t mark) const {
    for (const auto& e : by_end_)
      if (e.added < mark && !visit(e.job)) return;
  }

 private:
  struct Entry {
    double end;
    std::size_t slot;
    policy::RunningJob job;
    std::uint64_t added;  ///< order of addition (not part of the key)
    bool operator<(const Entry& o) const { return end != o.end ? end < o.end : slot < o.slot; }
  };
  std::map<std::size_t, policy::RunningJob> by_slot_;
  std::set<Entry> by_end_;
  std::uint64_t added_ = 0;
};

/// One queue-and-hosts unit of a site: its CPU-only hosts, or its hosts with GPUs.
struct Pool {
  Pool(std::size_t site_, PoolKind kind_, std::vector<policy::HostCapacity> caps, policy::Fit fit)
      : site(site_), kind(kind_), resources(std::move(caps), fit) {}
  std::size_t site;
  PoolKind kind;
  policy::SitePool resources;
  std::vector<simgrid::s4u::Host*> hosts;
  std::vector<std::size_t> ids;                       ///< per host: the executor's host id
  std::vector<const model::NodeType*> types;          ///< per host
  std::vector<double> full_power_per_core_w;          ///< per host: max power / cores (energy attribution)
  std::deque<std::size_t> queue;                      ///< job slots in arrival order
  RunningSet running_jobs;                            ///< what backfilling expects of them
  std::unique_ptr<policy::QueueScheduler> scheduler;  ///< this pool's queue (keeps reservations)
  std::size_t running = 0;
  double dynamic_w_per_core = 0;  ///< (max - idle) / cores of the pool's first node type
  double cores_per_gpu = 0;       ///< of the pool's first node type (GPU pools)
  std::ptrdiff_t gateway = -1;    ///< the host that carries the site's traffic, if in this pool
  // Power management
  std::vector<policy::HostPower> power;
  std::vector<double> idle_since;  ///< when each host last became idle
  std::vector<std::uint64_t>
      epoch;                ///< per host: bumped when it fails or is repaired; older host timers are void
  std::size_t idle_on = 0;  ///< hosts on with nothing allocated
  std::size_t booting = 0;
  std::size_t reserve = 0;
};

/// A piecewise-constant level integrated over time: a site's busy cores or busy GPUs.
struct LevelIntegral {
  double level = 0;     ///< now
  double integral = 0;  ///< over [0, last_s]
  double last_s = 0;
  void add(double delta, double t) {
    if (t > last_s) {
      integral += level * (t - last_s);
      last_s = t;
    }
    level += delta;
  }
  /// The integral over [0, t] (t not before the last change).
  double at(double t) const { return t > last_s ? integral + level * (t - last_s) : integral; }
};

struct SiteRuntime {
  std::vector<Pool> pools;  ///< indexed by PoolKind
  std::vector<simgrid::s4u::Host*> hosts;
  simgrid::s4u::Host* first_host = nullptr;
  double energy_at_last_sample_j = 0;
  metrics::SiteTotals totals;
  /// Utilization, one definition for the time series and the summary: cores busy on the CPU-only
  /// hosts (a job's cores, a service's busy threads) and GPUs held on the GPU hosts, each counted for
  /// the real jobs it stands for (a sampled request: its weight), integrated over time.
  LevelIntegral busy_cores, busy_gpus;
  double busy_cores_at_last_sample = 0, busy_gpus_at_last_sample = 0;
  bool down = false;  ///< the whole site is out of service (an outage of kind site)
  Pool& pool(PoolKind k) { return pools[index_of(k)]; }
};

struct ActiveJob {
  workload::Job job;
  std::size_t site = 0;
  PoolKind pool = PoolKind::kCpu;
  policy::Allocation allocation;
  double start_s = -1;
  double rtt_s = 0;
  double energy_j = 0;
  bool in_transfer = false;
  bool service = false;  ///< a cloud service: runs in segments until the horizon
  double segment_start_s = 0;
  int segment_threads = 0;
  bool deferred = false;   ///< held back by its placement policy until a later start
  std::size_t pstate = 0;  ///< DVFS state of its hosts (0: fastest)
  /// The sequence of its pending completion; an entry of the completion queue with another
  /// sequence is void (the job was cancelled by an outage).
  std::uint64_t completion = std::numeric_limits<std::uint64_t>::max();
};

/// Timed controller events besides job completions.
enum class TimerKind { kIdleCheck, kShutdownDone, kBootDone, kRelease, kOutageStart, kOutageEnd };
struct Timer {
  double time_s = 0;
  TimerKind kind = TimerKind::kIdleCheck;
  std::size_t site = 0;
  PoolKind pool = PoolKind::kCpu;  ///< host events
  std::size_t host = 0;            ///< host events: index in the pool
  std::size_t slot = 0;            ///< kRelease: a deferred job
  double stamp = 0;                ///< kIdleCheck: the idle_since it was set for
  std::uint64_t epoch = 0;         ///< host events: the host's epoch when set (pool.epoch)
  std::size_t outage = 0;          ///< kOutageStart / kOutageEnd: index into scenario.outages
  std::uint64_t sequence = 0;      ///< set by the agenda: ties break in the order of scheduling
  bool operator>(const Timer& o) const {
    return time_s != o.time_s ? time_s > o.time_s : sequence > o.sequence;
  }
};

struct Completion {
  double time_s;
  std::uint64_t sequence;
  std::size_t slot;
  bool operator>(const Completion& o) const {
    return time_s != o.time_s ? time_s > o.time_s : sequence > o.sequence;
  }
};

/// What happens next: job completions and timers, ordered by time, then by when they were scheduled
/// (one sequence for both, so the order of a run is a pure function of its inputs).
struct Agenda {
  std::priority_queue<Completion, std::vector<Completion>, std::greater<>> completions;
  std::priority_queue<Timer, std::vector<Timer>, std::greater<>> timers;
  std::uint64_t sequence = 0;

  void schedule(Timer t) {
    t.sequence = sequence++;
    timers.push(t);
  }
  /// Schedules a completion; returns its sequence (ActiveJob::completion).
  std::uint64_t complete(std::size_t slot, double time_s) {
    completions.push({time_s, sequence, slot});
    return sequence++;
  }
};

}  // namespace suanli::engine
