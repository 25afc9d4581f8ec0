// pue_aware: among sites where the job fits now, the lowest marginal facility power it would cause —
// the IT power it adds there times that site's facility watts per IT watt at its current load and
// weather. When it fits nowhere now: the least loaded site.
#include "policy/Placement.hpp"

namespace suanli::policy {

namespace {
class PueAware : public PlacementPolicy {
 public:
  std::optional<PlacementDecision> place(const PlacementRequest& r) override {
    const auto best =
        best_fitting_or_least_loaded(r, [](const SiteView& s) { return s.job_it_w * s.facility_w_per_it_w; });
    if (!best) return std::nullopt;
    return PlacementDecision{*best};
  }
};
}  // namespace

std::unique_ptr<PlacementPolicy> make_pue_aware(PolicyParams&) { return std::make_unique<PueAware>(); }

}  // namespace suanli::policy
