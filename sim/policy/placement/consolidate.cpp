// consolidate: pack work onto as few sites as possible — the busiest site (highest utilization of the
// resource the job needs) where the job still fits now; when it fits nowhere now, the least loaded
// site. With idle hosts switched off (scheduling.power), the sites and hosts left idle power down.
#include "policy/Placement.hpp"

namespace suanli::policy {

namespace {
class Consolidate : public PlacementPolicy {
 public:
  std::optional<PlacementDecision> place(const PlacementRequest& r) override {
    const auto best =
        best_fitting_or_least_loaded(r, [&](const SiteView& s) { return -site_utilization(s, r.job); });
    if (!best) return std::nullopt;
    return PlacementDecision{*best};
  }
};
}  // namespace

std::unique_ptr<PlacementPolicy> make_consolidate(PolicyParams&) { return std::make_unique<Consolidate>(); }

}  // namespace suanli::policy
