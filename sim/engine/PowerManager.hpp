// Host power decisions of a run: idle hosts switched off after `idle_off_s` (keeping a reserve of spare
// hosts on) and booted when waiting work needs them, and DVFS under deadlines. It changes hosts only
// through HostControl (the executor) and schedules its own timers on the run's agenda.
#pragma once

#include <cstddef>
#include <vector>

#include "engine/JobExecutor.hpp"
#include "engine/RunState.hpp"
#include "model/Scenario.hpp"
#include "workload/Job.hpp"

namespace suanli::engine {

class PowerManager {
 public:
  PowerManager(const model::Scenario& s, HostControl& hosts, Agenda& agenda)
      : s_(s), hosts_(hosts), agenda_(agenda) {}

  /// Whether idle hosts are switched off at all (scheduling.power.idle_off_s > 0).
  bool enabled() const { return s_.scheduling.power.idle_off_s > 0; }
  /// Watches every host for idleness from time 0.
  void start(std::vector<SiteRuntime>& sites);
  /// The host became idle at `since`: it switches off idle_off_s later unless it works again meanwhile.
  /// The site's gateway host never switches off: it terminates the site's network traffic (input
  /// transfers), and SimGrid cannot send to or from a host that is off.
  void watch_idle(Pool& pool, std::size_t host, double since);
  /// A host timer of `pool` (idle check, shutdown or boot done) fired. `first_waiting` is the pool's
  /// first queued job, if any; `now` the current time. Returns true when a host came up: the pool may
  /// start jobs.
  bool fire(const Timer& t, Pool& pool, const workload::Job* first_waiting, double now);
  /// Boots the hosts the first waiting job needs (if some are off), and spares up to the reserve.
  void provision(Pool& pool, const workload::Job* first_waiting, double now);
  /// DVFS under a deadline: the slowest state that still meets it, when the job holds its hosts alone
  /// (a host runs one state for all its jobs) and they all share one node type; 0 otherwise.
  std::size_t dvfs_state(const Pool& pool, const ActiveJob& a, double now) const;
  /// Idle hosts on and hosts booting, counted again after an outage changed hosts' states.
  static void recount(Pool& pool);

 private:
  void boot(Pool& pool, std::size_t h, double now);

  const model::Scenario& s_;
  HostControl& hosts_;
  Agenda& agenda_;
};

}  // namespace suanli::engine
