// nearest: the lowest one-way latency from the job's origin, within the budget (ties: lower load).
#include "policy/Placement.hpp"

namespace suanli::policy {

namespace {
class Nearest : public PlacementPolicy {
 public:
  std::optional<PlacementDecision> place(const PlacementRequest& r) override {
    std::optional<std::size_t> best;
    for (std::size_t i = 0; i < r.sites.size(); ++i) {
      const auto& s = r.sites[i];
      if (!candidate(r, s)) continue;
      if (!best) {
        best = i;
        continue;
      }
      const auto& b = r.sites[*best];
      if (s.latency_s < b.latency_s ||
          (s.latency_s == b.latency_s && site_load(s, r.job) < site_load(b, r.job)))
        best = i;
    }
    if (!best) return std::nullopt;
    return PlacementDecision{*best};
  }
};
}  // namespace

std::unique_ptr<PlacementPolicy> make_nearest(PolicyParams&) { return std::make_unique<Nearest>(); }

}  // namespace suanli::policy
