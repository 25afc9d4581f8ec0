// Outages during a run: a site, or units of its cooling or UPS plant, out of service from a start to
// an end time. The jobs on the hosts taken out stop and are placed again (or recorded lost); at the
// repair the hosts come back idle (see Controller.hpp).
#include <algorithm>
#include <cmath>
#include <iostream>
#include <simgrid/s4u/Activity.hpp>
#include <simgrid/s4u/Actor.hpp>
#include <simgrid/s4u/Comm.hpp>
#include <simgrid/s4u/Engine.hpp>
#include <simgrid/s4u/Host.hpp>

#include "engine/Controller.hpp"
#include "model/Error.hpp"
#include "model/Summary.hpp"
#include "platform/SimGridPlatform.hpp"
#include "policy/ClassRules.hpp"
#include "policy/Power.hpp"
#include "policy/QueueScheduler.hpp"
#include "policy/SitePool.hpp"
#include "workload/Random.hpp"

namespace sg4 = simgrid::s4u;

namespace suanli::engine {

nlohmann::json Controller::outage_summary() const {
  nlohmann::json out = nlohmann::json::array();
  for (std::size_t k = 0; k < s_.outages.size(); ++k) {
    const auto& o = s_.outages[k];
    const auto& c = outage_counts_[k];
    nlohmann::json j = {{"site", o.site},       {"what", model::to_string(o.what)},
                        {"start_s", o.start_s}, {"end_s", o.end_s},
                        {"hosts_out", c.hosts}, {"running", c.running},
                        {"waiting", c.waiting}, {"replaced", c.replaced},
                        {"lost", c.lost},       {"returned", c.returned}};
    if (o.what != model::OutageKind::kSite) j["units"] = o.units;
    out.push_back(j);
  }
  return out;
}

std::array<std::vector<std::size_t>, 2> Controller::hosts_out(std::size_t site_index,
                                                              const model::Outage& o) const {
  const auto& site = sites_[site_index];
  const auto& cfg = s_.sites[site_index];
  std::array<std::vector<std::size_t>, 2> out;
  double keep = 0;  // share of full-load power that stays
  if (o.what != model::OutageKind::kSite) {
    model::Plant plant = o.what == model::OutageKind::kUps ? cfg.ups : cfg.cooling.plant;
    plant.failed_units = o.units;
    const double committed = model::site_figures(s_, cfg).it_power_max_w;
    keep = committed > 0 ? plant.usable_w(cfg.rated_it_w()) / committed : 1.0;
  }
  for (std::size_t p = 0; p < site.pools.size(); ++p) {
    const auto& pool = site.pools[p];
    if (o.what == model::OutageKind::kSite) {
      for (std::size_t h = 0; h < pool.hosts.size(); ++h) out[p].push_back(h);
      continue;
    }
    double total = 0;
    for (std::size_t h = 0; h < pool.hosts.size(); ++h) total += host_max_w(pool, h);
    const double allowed = keep * total * (1 + 1e-12);
    double kept = 0;
    for (std::size_t h = 0; h < pool.hosts.size(); ++h) {
      const double w = host_max_w(pool, h);
      if (pool.hosts[h] == site.first_host || kept + w <= allowed) {
        kept += w;
      } else {
        out[p].push_back(h);
      }
    }
  }
  return out;
}

double Controller::host_max_w(const Pool& pool, std::size_t h) {
  return pool.full_power_per_core_w[h] * pool.resources.capacity(h).cores;
}

void Controller::outage_start(std::size_t site_index, std::size_t outage) {
  auto& site = sites_[site_index];
  const auto& o = s_.outages[outage];
  auto& count = outage_counts_[outage];
  const bool whole = o.what == model::OutageKind::kSite;
  if (whole) {
    site.down = true;
    outage_of_[site_index] = outage;
  }
  const double now = now_;
  const auto out = hosts_out(site_index, o);
  std::vector<std::pair<std::uint64_t, std::size_t>> moved;  // (job id, slot)
  for (std::size_t p = 0; p < site.pools.size(); ++p) {
    auto& pool = site.pools[p];
    std::vector<bool> failing(pool.hosts.size(), false);
    for (auto h : out[p]) failing[h] = true;
    // Jobs with a part on a failing host stop.
    std::vector<std::size_t> stopped;
    for (const auto& [slot, unused] : pool.running_jobs.by_slot())
      for (const auto& part : jobs_[slot].allocation.parts)
        if (failing[part.host]) {
          stopped.push_back(slot);
          break;
        }
    for (auto slot : stopped) {
      auto& a = jobs_[slot];
      executor_.cancel(slot, now_);
      a.completion = std::numeric_limits<std::uint64_t>::max();
      count_busy(a, -1);  // its busy time so far counts: the work is lost, the cores were busy
      pool.resources.release(a.allocation);
      for (const auto& part : a.allocation.parts) {
        if (a.pstate > 0) executor_.set_pstate(pool.ids[part.host], 0, now_);
        if (!failing[part.host] && pool.resources.idle(part.host)) power_.watch_idle(pool, part.host, now);
      }
      pool.running_jobs.remove(slot);
      --pool.running;
      ++count.running;
      moved.emplace_back(a.job.id, slot);
    }
    if (whole) {
      for (auto slot : pool.queue) {
        ++count.waiting;
        moved.emplace_back(jobs_[slot].job.id, slot);
      }
      queued_ -= pool.queue.size();
      pool.queue.clear();
      pool.scheduler = make_scheduler(pool);
    }
    for (auto h : out[p]) {
      if (pool.resources.online(h)) pool.resources.set_online(h, false);
      pool.power[h] = policy::HostPower::kFailed;
      ++pool.epoch[h];
      if (pool.hosts[h] != site.first_host && executor_.is_on(pool.ids[h]))
        executor_.turn_off(pool.ids[h], now_);
      else if (pool.hosts[h] == site.first_host)
        executor_.set_pstate(pool.ids[h], 0, now_);
      count.out.emplace_back(p, h);
      ++count.hosts;
    }
    PowerManager::recount(pool);
  }
  if (whole)
    for (std::size_t c = comms_.size(); c-- > 0;) {
      const auto slot = comm_slots_[c];
      if (jobs_[slot].site != site_index) continue;
      comms_[c]->cancel();
      comms_.erase(comms_.begin() + static_cast<std::ptrdiff_t>(c));
      comm_slots_.erase(comm_slots_.begin() + static_cast<std::ptrdiff_t>(c));
      jobs_[slot].in_transfer = false;
      ++count.waiting;
      moved.emplace_back(jobs_[slot].job.id, slot);
    }
  std::sort(moved.begin(), moved.end());
  for (const auto& [id, slot] : moved) move_off(slot, outage);
  // Deferred jobs bound for a failed site move when they are released (fire, kRelease).
  for (auto& pool : site.pools) try_start(pool);
}

void Controller::move_off(std::size_t slot, std::size_t outage) {
  const Job job = jobs_[slot].job;
  free_slots_.push_back(slot);
  if (arrive(job, static_cast<std::ptrdiff_t>(outage))) {
    ++outage_counts_[outage].replaced;
    outage_counts_[outage].moved.insert(job.id);
  }
}

void Controller::outage_end(std::size_t site_index, std::size_t outage) {
  auto& site = sites_[site_index];
  if (s_.outages[outage].what == model::OutageKind::kSite) site.down = false;
  const double now = now_;
  for (const auto& [p, h] : outage_counts_[outage].out) {
    auto& pool = site.pools[p];
    if (!executor_.is_on(pool.ids[h])) executor_.turn_on(pool.ids[h], now_);
    executor_.set_pstate(pool.ids[h], 0, now_);
    if (!pool.resources.online(h)) pool.resources.set_online(h, true);
    pool.power[h] = policy::HostPower::kOn;
    ++pool.epoch[h];
    power_.watch_idle(pool, h, now);
  }
  outage_counts_[outage].out.clear();
  for (auto& pool : site.pools) PowerManager::recount(pool);
  if (s_.scheduling.after_repair == model::AfterRepair::kReturn) return_moved(site_index, outage);
  for (auto& pool : site.pools) try_start(pool);
}

void Controller::return_moved(std::size_t site_index, std::size_t outage) {
  auto& count = outage_counts_[outage];
  if (count.moved.empty()) return;
  std::vector<std::pair<std::uint64_t, std::size_t>> back;  // (job id, slot), waiting elsewhere
  std::vector<Pool*> left;                                  // pools they leave
  for (std::size_t i = 0; i < sites_.size(); ++i) {
    if (i == site_index) continue;
    for (auto& pool : sites_[i].pools) {
      const auto before = pool.queue.size();
      std::erase_if(pool.queue, [&](std::size_t slot) {
        const auto& a = jobs_[slot];
        if (!count.moved.contains(a.job.id)) return false;
        if (!sites_[site_index].pool(a.pool).resources.could_fit(a.job.cores, a.job.gpus)) return false;
        back.emplace_back(a.job.id, slot);
        return true;
      });
      if (pool.queue.size() != before) {
        queued_ -= before - pool.queue.size();
        left.push_back(&pool);
      }
    }
  }
  std::sort(back.begin(), back.end());
  for (const auto& [id, slot] : back) {
    auto& a = jobs_[slot];
    a.site = site_index;
    a.rtt_s = 2 * latencies(a.job)[site_index];
    ++count.returned;
    dispatch(slot);  // its input is sent again, then it queues at the repaired site
  }
  count.moved.clear();
  for (auto* pool : left) try_start(*pool);
}

}  // namespace suanli::engine
