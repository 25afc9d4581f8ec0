// Host power decisions: idle power-off, boot on demand, DVFS under deadlines (see the header).
#include "engine/PowerManager.hpp"

#include <algorithm>

#include "policy/Power.hpp"

namespace suanli::engine {

void PowerManager::start(std::vector<SiteRuntime>& sites) {
  if (!enabled()) return;
  for (auto& site : sites)
    for (auto& pool : site.pools)
      for (std::size_t h = 0; h < pool.hosts.size(); ++h) watch_idle(pool, h, 0);
}

void PowerManager::watch_idle(Pool& pool, std::size_t host, double since) {
  pool.idle_since[host] = since;
  if (enabled() && static_cast<std::ptrdiff_t>(host) != pool.gateway)
    agenda_.schedule({.time_s = since + s_.scheduling.power.idle_off_s,
                      .kind = TimerKind::kIdleCheck,
                      .site = pool.site,
                      .pool = pool.kind,
                      .host = host,
                      .stamp = since,
                      .epoch = pool.epoch[host]});
}

bool PowerManager::fire(const Timer& t, Pool& pool, const workload::Job* first_waiting, double now) {
  if (t.epoch != pool.epoch[t.host]) return false;  // set before the host failed or was repaired
  const auto& type = *pool.types[t.host];
  const std::size_t id = pool.ids[t.host];
  switch (t.kind) {
    case TimerKind::kIdleCheck:
      // Still idle since then, and not needed as spare: switch it off.
      if (pool.power[t.host] != policy::HostPower::kOn || !pool.resources.idle(t.host) ||
          pool.idle_since[t.host] != t.stamp)
        return false;
      if (pool.idle_on <= pool.reserve) {  // kept as spare for now: look again later
        Timer again = t;
        again.time_s = t.time_s + s_.scheduling.power.idle_off_s;
        agenda_.schedule(again);
        return false;
      }
      pool.power[t.host] = policy::HostPower::kShuttingDown;
      pool.resources.set_online(t.host, false);
      --pool.idle_on;
      hosts_.set_pstate(id, type.shutdown_pstate(), now);
      agenda_.schedule({.time_s = t.time_s + type.shutdown_s,
                        .kind = TimerKind::kShutdownDone,
                        .site = t.site,
                        .pool = t.pool,
                        .host = t.host,
                        .epoch = t.epoch});
      return false;
    case TimerKind::kShutdownDone:
      hosts_.turn_off(id, now);
      pool.power[t.host] = policy::HostPower::kOff;
      if (first_waiting) provision(pool, first_waiting, now);
      return false;
    case TimerKind::kBootDone:
      hosts_.set_pstate(id, 0, now);
      pool.power[t.host] = policy::HostPower::kOn;
      --pool.booting;
      pool.resources.set_online(t.host, true);
      ++pool.idle_on;
      watch_idle(pool, t.host, t.time_s);
      return true;
    case TimerKind::kRelease:
    case TimerKind::kOutageStart:
    case TimerKind::kOutageEnd:
      return false;
  }
  return false;
}

void PowerManager::provision(Pool& pool, const workload::Job* first_waiting, double now) {
  if (first_waiting)
    for (const auto h :
         policy::hosts_to_boot(pool.resources, pool.power, first_waiting->cores, first_waiting->gpus))
      boot(pool, h, now);
  for (std::size_t h = 0; h < pool.hosts.size() && pool.idle_on + pool.booting < pool.reserve; ++h)
    if (pool.power[h] == policy::HostPower::kOff) boot(pool, h, now);
}

void PowerManager::boot(Pool& pool, std::size_t h, double now) {
  const auto& type = *pool.types[h];
  hosts_.turn_on(pool.ids[h], now);
  hosts_.set_pstate(pool.ids[h], type.boot_pstate(), now);
  pool.power[h] = policy::HostPower::kBooting;
  ++pool.booting;
  agenda_.schedule({.time_s = now + type.boot_s,
                    .kind = TimerKind::kBootDone,
                    .site = pool.site,
                    .pool = pool.kind,
                    .host = h,
                    .epoch = pool.epoch[h]});
}

std::size_t PowerManager::dvfs_state(const Pool& pool, const ActiveJob& a, double now) const {
  const auto* type = pool.types[a.allocation.parts.front().host];
  for (const auto& part : a.allocation.parts) {
    const auto& cap = pool.resources.capacity(part.host);
    if (pool.types[part.host] != type || part.cores != cap.cores || part.gpus != cap.gpus) return 0;
  }
  std::vector<double> speeds;
  for (const auto& p : type->pstates) speeds.push_back(p.core_speed_flops);
  const double run = a.job.walltime_s > 0 ? std::max(a.job.walltime_s, a.job.runtime_s) : a.job.runtime_s;
  return policy::slowest_pstate_meeting(speeds, run, now, a.job.deadline_s);
}

void PowerManager::recount(Pool& pool) {
  pool.idle_on = 0;
  pool.booting = 0;
  for (std::size_t h = 0; h < pool.hosts.size(); ++h) {
    if (pool.power[h] == policy::HostPower::kOn && pool.resources.idle(h)) ++pool.idle_on;
    if (pool.power[h] == policy::HostPower::kBooting) ++pool.booting;
  }
}

}  // namespace suanli::engine
