// least_loaded: the lowest (busy + queued demand) / capacity of the resource the job needs.
#include "policy/Placement.hpp"

namespace suanli::policy {

namespace {
class LeastLoaded : public PlacementPolicy {
 public:
  std::optional<PlacementDecision> place(const PlacementRequest& r) override {
    const auto best = best_candidate(r, [&](const SiteView& s) { return site_load(s, r.job); });
    if (!best) return std::nullopt;
    return PlacementDecision{*best};
  }
};
}  // namespace

std::unique_ptr<PlacementPolicy> make_least_loaded(PolicyParams&) { return std::make_unique<LeastLoaded>(); }

}  // namespace suanli::policy
