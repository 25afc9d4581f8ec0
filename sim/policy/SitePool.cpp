// First-fit allocation of cores and GPUs over a site's hosts.
#include "policy/SitePool.hpp"

#include <algorithm>
#include <stdexcept>

namespace suanli::policy {

SitePool::SitePool(std::vector<HostCapacity> hosts) : hosts_(std::move(hosts)), free_(hosts_) {
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
  if (gpus > 0) {
    for (std::size_t h = first_nonfull_; h < free_.size(); ++h) {
      if (free_[h].gpus < gpus || free_[h].cores < cores) continue;
      const int threads = std::max(1, hosts_[h].cores * gpus / hosts_[h].gpus);
      a.parts.push_back({h, cores, gpus, threads});
      break;
    }
    if (a.parts.empty()) return std::nullopt;
  } else {
    // Prefer one host that holds the whole job; otherwise span hosts in order.
    for (std::size_t h = first_nonfull_; h < free_.size(); ++h)
      if (free_[h].cores >= cores) {
        a.parts.push_back({h, cores, 0, cores});
        break;
      }
    if (a.parts.empty()) {
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
  }
  for (const auto& p : a.parts) {
    free_[p.host].cores -= p.cores;
    free_[p.host].gpus -= p.gpus;
    cores_free_ -= p.cores;
    gpus_free_ -= p.gpus;
  }
  return a;
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
