// consolidate: pack work onto as few sites as possible — the busiest site (highest utilization of the
// resource the job needs) where the job still fits now; when it fits nowhere now, the least loaded
// site. With idle hosts switched off (scheduling.power), the sites and hosts left idle power down.
#include "policy/Placement.hpp"

namespace suanli::policy {

namespace {
class Consolidate : public PlacementPolicy {
 public:
  std::optional<PlacementDecision> place(const PlacementRequest& r) override {
    auto best = best_candidate(r, [&](const SiteView& s) {
      return fits_now(s, r.job) ? -site_utilization(s, r.job) : kNoRoom;
    });
    if (best && !fits_now(r.sites[*best], r.job))
      best = best_candidate(r, [&](const SiteView& s) { return site_load(s, r.job); });
    if (!best) return std::nullopt;
    return PlacementDecision{*best};
  }

 private:
  static constexpr double kNoRoom = 1e300;
};
}  // namespace

std::unique_ptr<PlacementPolicy> make_consolidate(PolicyParams&) { return std::make_unique<Consolidate>(); }

}  // namespace suanli::policy
