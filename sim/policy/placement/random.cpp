// random: a uniformly random site among the eligible ones within the budget. The example policy of
// docs/policies.md — a baseline any smarter policy should beat.
#include "workload/Random.hpp"

#include <vector>

#include "policy/Placement.hpp"

namespace suanli::policy {

namespace {
class RandomSite : public PlacementPolicy {
 public:
  explicit RandomSite(std::uint64_t seed) : random_(seed) {}

  std::optional<PlacementDecision> place(const PlacementRequest& r) override {
    candidates_.clear();
    for (std::size_t i = 0; i < r.sites.size(); ++i)
      if (candidate(r, r.sites[i])) candidates_.push_back(i);
    if (candidates_.empty()) return std::nullopt;
    const auto pick = static_cast<std::size_t>(random_.uniform() * static_cast<double>(candidates_.size()));
    return PlacementDecision{candidates_[pick]};
  }

 private:
  workload::Random random_;
  std::vector<std::size_t> candidates_;
};
}  // namespace

std::unique_ptr<PlacementPolicy> make_random(PolicyParams& p) {
  return std::make_unique<RandomSite>(p.seed());
}

}  // namespace suanli::policy
