// pue_aware: among sites where the job fits now, the lowest marginal facility power it would cause —
// the IT power it adds there times that site's facility watts per IT watt at its current load and
// weather. When it fits nowhere now: the least loaded site.
#include "policy/Placement.hpp"

namespace suanli::policy {

namespace {
class PueAware : public PlacementPolicy {
 public:
  std::optional<PlacementDecision> place(const PlacementRequest& r) override {
    auto best = best_candidate(r, [&](const SiteView& s) {
      return fits_now(s, r.job) ? s.job_it_w * s.facility_w_per_it_w : kNoRoom;
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

std::unique_ptr<PlacementPolicy> make_pue_aware(PolicyParams&) { return std::make_unique<PueAware>(); }

}  // namespace suanli::policy
