// Power management decisions: boots on demand, the idle reserve, DVFS under a deadline.
#include "policy/Power.hpp"

#include <cmath>

namespace suanli::policy {

std::size_t reserve_hosts(double fraction, std::size_t hosts) {
  return static_cast<std::size_t>(std::ceil(fraction * static_cast<double>(hosts) - 1e-9));
}

std::vector<std::size_t> hosts_to_boot(const SitePool& pool, std::span<const HostPower> state, int cores,
                                       int gpus) {
  std::vector<std::size_t> boot;
  if (gpus > 0) {  // one host must hold the job
    for (std::size_t h = 0; h < pool.host_count(); ++h) {
      const auto& cap = pool.capacity(h);
      if (cap.gpus < gpus || cap.cores < cores) continue;
      if (state[h] == HostPower::kBooting) return {};
      if (state[h] == HostPower::kOn) {
        const auto& f = pool.free(h);
        if (f.gpus >= gpus && f.cores >= cores) return {};
      }
    }
    for (std::size_t h = 0; h < pool.host_count(); ++h) {
      const auto& cap = pool.capacity(h);
      if (state[h] == HostPower::kOff && cap.gpus >= gpus && cap.cores >= cores) return {h};
    }
    return {};
  }
  std::int64_t coming = pool.cores_free();
  for (std::size_t h = 0; h < pool.host_count(); ++h)
    if (state[h] == HostPower::kBooting) coming += pool.capacity(h).cores;
  for (std::size_t h = 0; h < pool.host_count() && coming < cores; ++h)
    if (state[h] == HostPower::kOff) {
      boot.push_back(h);
      coming += pool.capacity(h).cores;
    }
  return boot;  // may fall short while hosts are still shutting down: asked again when they are off
}

std::size_t slowest_pstate_meeting(std::span<const double> speeds, double runtime_s, double now_s,
                                   double deadline_s) {
  if (speeds.empty() || !std::isfinite(deadline_s)) return 0;
  std::size_t best = 0;
  for (std::size_t p = 1; p < speeds.size(); ++p)
    if (speeds[p] > 0 && speeds[p] < speeds[best] && now_s + runtime_s * speeds[0] / speeds[p] <= deadline_s)
      best = p;
  return best;
}

}  // namespace suanli::policy
