// How a started job runs: one small interface, so an exact fast path can replace SimGrid activities
// for jobs whose end time is known when they start (cores held exclusively).
#pragma once

#include <cstddef>
#include <vector>

namespace simgrid::s4u {
class Host;
}

namespace suanli::engine {

/// One host's share of a job: `threads` cores busy at `core_speed_flops` each.
struct ExecPart {
  simgrid::s4u::Host* host = nullptr;
  int threads = 0;
  double core_speed_flops = 0;
};

class JobExecutor {
 public:
  virtual ~JobExecutor() = default;
  /// Starts the job in `slot` on its parts and returns its end time (now + runtime: the engine never
  /// oversubscribes a host, so every part runs at full speed).
  virtual double start(std::size_t slot, const std::vector<ExecPart>& parts, double runtime_s) = 0;
  /// Completes the job in `slot` (called at the end time start() returned) and returns the time it
  /// really ended in the simulation: later than planned only if a host was oversubscribed.
  virtual double finish(std::size_t slot) = 0;
  /// Stops the job in `slot` before its end (the run's horizon was reached).
  virtual void cancel(std::size_t slot) = 0;
};

/// Runs each part as a SimGrid exec (thread_count = threads), so the host energy plugin sees the load.
class SimGridExecutor;

}  // namespace suanli::engine
