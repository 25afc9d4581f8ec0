// Power management decisions for one site pool: which hosts to boot, how many to keep on, and the
// DVFS state of a job with a deadline. The engine carries them out in SimGrid (no SimGrid here).
#pragma once

#include <cstddef>
#include <span>
#include <vector>

#include "policy/SitePool.hpp"

namespace suanli::policy {

/// kFailed: out of service (an outage); neither on nor bootable.
enum class HostPower { kOn, kShuttingDown, kOff, kBooting, kFailed };

/// Idle hosts kept on as spare capacity: ceil(fraction x hosts).
std::size_t reserve_hosts(double fraction, std::size_t hosts);

/// Off hosts to boot (lowest index first) so that a job of (cores, gpus) that cannot start now could
/// start once they are up: none when the free hosts plus those already booting would do. A CPU job may
/// get fewer than it needs while other hosts are still shutting down (ask again once they are off).
std::vector<std::size_t> hosts_to_boot(const SitePool& pool, std::span<const HostPower> state, int cores,
                                       int gpus);

/// The slowest performance state (index into speeds, fastest first) whose run still ends by the
/// deadline: now + runtime x speeds[0] / speeds[p] <= deadline. 0 when there is no deadline or none is
/// slow enough to matter.
std::size_t slowest_pstate_meeting(std::span<const double> speeds, double runtime_s, double now_s,
                                   double deadline_s);

}  // namespace suanli::policy
