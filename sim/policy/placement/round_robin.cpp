// round_robin: the next eligible site after the one chosen last (one rotation per job class).
#include "policy/Placement.hpp"

namespace suanli::policy {

namespace {
class RoundRobin : public PlacementPolicy {
 public:
  std::optional<PlacementDecision> place(const PlacementRequest& r) override {
    const std::size_t n = r.sites.size();
    for (std::size_t k = 1; k <= n; ++k) {
      const std::size_t i = (last_ + k) % n;
      if (!candidate(r, r.sites[i])) continue;
      last_ = i;
      return PlacementDecision{i};
    }
    return std::nullopt;
  }

 private:
  std::size_t last_ = static_cast<std::size_t>(-1);  ///< so that the first turn starts at site 0
};
}  // namespace

std::unique_ptr<PlacementPolicy> make_round_robin(PolicyParams&) { return std::make_unique<RoundRobin>(); }

}  // namespace suanli::policy
