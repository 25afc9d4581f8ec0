// First-fit allocation of cores and GPUs over a site's hosts.
#include "policy/SitePool.hpp"

#include <algorithm>
#include <stdexcept>

namespace suanli::policy {

SitePool::SitePool(std::vector<HostCapacity> hosts, Fit fit)
    : hosts_(std::move(hosts)), free_(hosts_), online_(hosts_.size(), true), fit_(fit) {
  for (const auto& h : hosts_) {
    cores_total_ += h.cores;
    gpus_total_ += h.gpus;
    max_host_cores_ = std::max(max_host_cores_, h.cores);
    max_host_gpus_ = std::max(max_host_gpus_, h.gpus);
  }
  cores_free_ = cores_total_;
  gpus_free_ = gpus_total_;
}

bool SitePool::could_fit(int cores, int gpus) const {
  if (gpus > 0) {
    for (const auto& h : hosts_)
      if (h.gpus >= gpus && h.cores >= cores) return true;
    return false;
  }
  return cores <= cores_total_;
}

std::optional<Allocation> SitePool::allocate(int cores, int gpus) {
  if (cores > cores_free_ || gpus > gpus_free_) return std::nullopt;
  while (first_nonfull_ < free_.size() && free_[first_nonfull_].cores == 0 && free_[first_nonfull_].gpus == 0)
    ++first_nonfull_;
  Allocation a;
  // One host that holds the whole job (GPU jobs must); otherwise a CPU job spans hosts in order.
  if (const auto whole = fit_ == Fit::kBest ? best_host(cores, gpus) : first_host(cores, gpus)) {
    const int threads = gpus > 0 ? std::max(1, hosts_[*whole].cores * gpus / hosts_[*whole].gpus) : cores;
    a.parts.push_back({*whole, cores, gpus, threads});
  } else if (gpus > 0) {
    return std::nullopt;
  } else {
    int left = cores;
    for (std::size_t h = first_nonfull_; h < free_.size() && left > 0; ++h) {
      const int take = std::min(left, free_[h].cores);
      if (take > 0) {
        a.parts.push_back({h, take, 0, take});
        left -= take;
      }
    }
    if (left > 0) return std::nullopt;
  }
  for (const auto& p : a.parts) {
    free_[p.host].cores -= p.cores;
    free_[p.host].gpus -= p.gpus;
    cores_free_ -= p.cores;
    gpus_free_ -= p.gpus;
  }
  return a;
}

std::optional<std::size_t> SitePool::first_host(int cores, int gpus) const {
  for (std::size_t h = first_nonfull_; h < free_.size(); ++h)
    if (free_[h].gpus >= gpus && free_[h].cores >= cores) return h;
  return std::nullopt;
}

std::optional<std::size_t> SitePool::best_host(int cores, int gpus) const {
  std::optional<std::size_t> best;
  for (std::size_t h = first_nonfull_; h < free_.size(); ++h) {
    const auto& f = free_[h];
    if (f.gpus < gpus || f.cores < cores) continue;
    if (!best || f.gpus < free_[*best].gpus || (f.gpus == free_[*best].gpus && f.cores < free_[*best].cores))
      best = h;
    if (f.gpus == gpus && f.cores == cores) break;  // an exact fit: nothing is better
  }
  return best;
}

void SitePool::set_online(std::size_t host, bool online) {
  if (online == online_[host]) throw std::logic_error("SitePool::set_online: host already in that state");
  const auto& cap = hosts_[host];
  if (!online) {
    if (!idle(host)) throw std::logic_error("SitePool::set_online: host has work allocated");
    free_[host] = {0, 0};
    cores_free_ -= cap.cores;
    gpus_free_ -= cap.gpus;
    cores_off_ += cap.cores;
    gpus_off_ += cap.gpus;
  } else {
    free_[host] = cap;
    cores_free_ += cap.cores;
    gpus_free_ += cap.gpus;
    cores_off_ -= cap.cores;
    gpus_off_ -= cap.gpus;
    first_nonfull_ = std::min(first_nonfull_, host);
  }
  online_[host] = online;
}

void SitePool::release(const Allocation& allocation) {
  for (const auto& p : allocation.parts) {
    free_[p.host].cores += p.cores;
    free_[p.host].gpus += p.gpus;
    if (free_[p.host].cores > hosts_[p.host].cores || free_[p.host].gpus > hosts_[p.host].gpus)
      throw std::logic_error("SitePool::release: more released than allocated");
    cores_free_ += p.cores;
    gpus_free_ += p.gpus;
    first_nonfull_ = std::min(first_nonfull_, p.host);
  }
}

}  // namespace suanli::policy
