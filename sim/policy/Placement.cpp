// The built-in placement policies and their registry.
#include "policy/Placement.hpp"

#include <limits>

namespace suanli::policy {

namespace {
bool within_budget(const PlacementRequest& r, const SiteView& s) {
  return r.budget_rtt_s <= 0 || 2 * s.latency_s <= r.budget_rtt_s * (1 + 1e-12);
}
}  // namespace

double site_load(const SiteView& s, const workload::Job& job) {
  if (job.gpus > 0 && s.gpus_total > 0)
    return (static_cast<double>(s.gpus_total - s.gpus_free) + static_cast<double>(s.queued) * job.gpus) /
           static_cast<double>(s.gpus_total);
  if (s.cores_total <= 0) return std::numeric_limits<double>::infinity();
  return (static_cast<double>(s.cores_total - s.cores_free) + static_cast<double>(s.queued) * job.cores) /
         static_cast<double>(s.cores_total);
}

std::optional<std::size_t> NearestPlacement::place(const PlacementRequest& r) {
  std::optional<std::size_t> best;
  for (std::size_t i = 0; i < r.sites.size(); ++i) {
    const auto& s = r.sites[i];
    if (!s.eligible || !within_budget(r, s)) continue;
    if (!best) {
      best = i;
      continue;
    }
    const auto& b = r.sites[*best];
    if (s.latency_s < b.latency_s || (s.latency_s == b.latency_s && site_load(s, r.job) < site_load(b, r.job)))
      best = i;
  }
  return best;
}

std::optional<std::size_t> LeastLoadedPlacement::place(const PlacementRequest& r) {
  std::optional<std::size_t> best;
  double best_load = 0;
  for (std::size_t i = 0; i < r.sites.size(); ++i) {
    const auto& s = r.sites[i];
    if (!s.eligible || !within_budget(r, s)) continue;
    const double load = site_load(s, r.job);
    if (!best || load < best_load || (load == best_load && s.latency_s < r.sites[*best].latency_s)) {
      best = i;
      best_load = load;
    }
  }
  return best;
}

std::vector<std::string> placement_names() { return {"nearest", "least_loaded"}; }

std::unique_ptr<PlacementPolicy> make_placement(std::string_view name) {
  if (name == "nearest") return std::make_unique<NearestPlacement>();
  if (name == "least_loaded") return std::make_unique<LeastLoadedPlacement>();
  return nullptr;
}

}  // namespace suanli::policy
