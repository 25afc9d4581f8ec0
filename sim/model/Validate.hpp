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

/// Whether `name` can name something in every output (CSV, XML, HTML, a terminal): "" if so, else
/// the end of a sentence saying why not ("needs a non-empty name", "name may not contain control
/// characters ..."): empty, only spaces, a control character (newline, NUL, escape), over 200 bytes.
std::string name_problem(const std::string& name);
/// Whether `text` holds a C0 or C1 control character (a newline, NUL, an escape, U+009B).
bool has_control_character(std::string_view text);

/// Rows timeseries.csv of a run will have: one per site at every sampling instant up to the horizon.
double estimated_timeseries_rows(const Scenario& scenario);

}  // namespace suanli::model
