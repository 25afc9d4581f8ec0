// liquid_first: dense jobs (at least `dense_gpus` GPUs, or at least `dense_cores` cores when that is
// > 0) go to the site with the highest liquid-cooled share among those where they fit now; other jobs
// to the lowest liquid share where they fit now, keeping liquid-cooled racks for dense work. A job
// that fits nowhere now goes to the least loaded site.
#include "policy/Placement.hpp"

namespace suanli::policy {

namespace {
class LiquidFirst : public PlacementPolicy {
 public:
  explicit LiquidFirst(PolicyParams& p)
      : dense_gpus_(p.number("dense_gpus", 1, 1, 1e6)), dense_cores_(p.number("dense_cores", 0, 0, 1e9)) {}

  std::optional<PlacementDecision> place(const PlacementRequest& r) override {
    const bool dense = r.job.gpus >= dense_gpus_ || (dense_cores_ > 0 && r.job.cores >= dense_cores_);
    const auto best = best_fitting_or_least_loaded(
        r, [&](const SiteView& s) { return dense ? -s.liquid_share : s.liquid_share; });
    if (!best) return std::nullopt;
    return PlacementDecision{*best};
  }

 private:
  double dense_gpus_, dense_cores_;
};
}  // namespace

std::unique_ptr<PlacementPolicy> make_liquid_first(PolicyParams& p) {
  return std::make_unique<LiquidFirst>(p);
}

}  // namespace suanli::policy
