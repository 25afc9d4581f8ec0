// How a started job runs and what the hosts under it consume: one small interface with two
// implementations. The exact executor (the default) accounts every job's computation in closed form —
// the engine never oversubscribes a host, so a job's end time is known when it starts and its hosts'
// power follows SimGrid's host energy model between known changes. The SimGrid executor runs each job
// as SimGrid execs under the host energy plugin: the reference the exact one is tested against.
#pragma once

#include <cstddef>
#include <memory>
#include <string_view>
#include <vector>

#include "energy/HostEnergyLedger.hpp"

namespace simgrid::s4u {
class Host;
}

namespace suanli::engine {

/// One host's share of a job: `threads` cores busy at `core_speed_flops` each.
struct ExecPart {
  simgrid::s4u::Host* host = nullptr;
  std::size_t host_id = 0;  ///< as JobExecutor::add_host returned it
  int threads = 0;
  double core_speed_flops = 0;
};

/// Which executor a run uses (`suanli run --engine`).
enum class ExecutorKind { kExact, kSimGrid };
std::string_view to_string(ExecutorKind kind);

/// What the power manager may do to a host: its performance state and whether it is on, applied at
/// time `now` (the executor accounts the energy of each state).
class HostControl {
 public:
  virtual ~HostControl() = default;
  virtual void set_pstate(std::size_t host_id, int pstate, double now) = 0;
  virtual void turn_on(std::size_t host_id, double now) = 0;
  virtual void turn_off(std::size_t host_id, double now) = 0;
  virtual bool is_on(std::size_t host_id) const = 0;
};

class JobExecutor : public HostControl {
 public:
  /// Registers a host of `site` with its power model before the run; returns its id.
  virtual std::size_t add_host(simgrid::s4u::Host* host, std::size_t site,
                               const energy::HostPowerProfile& profile) = 0;

  /// Starts the job in `slot` on its parts at time `now` and returns its end time (now + runtime: the
  /// engine never oversubscribes a host, so every part runs at full speed).
  virtual double start(std::size_t slot, const std::vector<ExecPart>& parts, double runtime_s,
                       double now) = 0;
  /// Completes the job in `slot` (called at the end time start() returned) and returns the time it
  /// ended.
  virtual double finish(std::size_t slot, double now) = 0;
  /// Stops the job in `slot` before its end (an outage, or the run's horizon).
  virtual void cancel(std::size_t slot, double now) = 0;

  /// IT energy of the site's hosts over [0, now], J.
  virtual double site_energy_j(std::size_t site, double now) = 0;

  /// Whether SimGrid's clock must reach every event time (true when SimGrid activities carry the
  /// jobs); otherwise it is moved only while a data transfer is in flight.
  virtual bool needs_clock() const = 0;
};

/// The executor of `kind`. The SimGrid one creates its worker actors on `home`.
std::unique_ptr<JobExecutor> make_executor(ExecutorKind kind, simgrid::s4u::Host* home);

}  // namespace suanli::engine
