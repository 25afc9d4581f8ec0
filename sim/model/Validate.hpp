// Cross-field validation of a scenario: references exist, shares sum to 1, ranges, connectivity.
#pragma once

#include <vector>

#include "model/Error.hpp"
#include "model/Scenario.hpp"

namespace suanli::model {

/// Upper bounds beyond which a value is taken for a typo rather than a plan.
inline constexpr std::int64_t kMaxRacksPerSite = 10'000'000;
inline constexpr std::int64_t kMaxServersPerGroup = 100'000'000;
inline constexpr int kMaxCoresPerServer = 100'000;

/// Every rule violated by `scenario`, each as a UserError naming the JSON pointer. Empty when valid.
std::vector<UserError> validate(const Scenario& scenario);

}  // namespace suanli::model
