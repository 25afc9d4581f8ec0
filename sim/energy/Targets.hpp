// PASS/FAIL of a site (and of the province) against the planning targets that its size class makes
// applicable: PUE, liquid-cooling share, rack occupancy, and the GB 40879-2021 energy-ratio grade.
#pragma once

#include <nlohmann/json.hpp>
#include <string>
#include <string_view>

#include "model/Scenario.hpp"

namespace suanli::energy {

enum class Status { kPass, kFail, kNotApplicable };
std::string_view to_string(Status s);

/// One site's verdicts. gb40879_grade: 1, 2, 3 (3 is the standard's limit), 4 = over the limit,
/// 0 = outside the standard's scope (edge sites, <= 100 standard racks).
struct SiteTargets {
  Status pue = Status::kNotApplicable;
  double pue_limit = 0;  ///< 0 when not applicable
  Status liquid = Status::kNotApplicable;
  Status occupancy = Status::kNotApplicable;
  double occupancy_limit = 0;
  int gb40879_grade = 0;
};

/// Checks a site with its PUE (annual or over a run), installed occupancy and liquid share.
/// Hub sites: PUE <= pue_hub_max, occupancy >= occupancy_hub_min; large and hyperscale: PUE <= pue_max;
/// small/medium: PUE reported only; edge: outside the targets and GB 40879, reported as such.
SiteTargets evaluate_site(const model::Scenario& scenario, const model::Site& site, double pue);

/// Province-wide: energy-weighted PUE vs pue_max, liquid share (by IT power) and occupancy vs targets.
struct OverallTargets {
  Status pue = Status::kNotApplicable;
  Status liquid = Status::kNotApplicable;
  Status occupancy = Status::kNotApplicable;
};
OverallTargets evaluate_overall(const model::Scenario& scenario, double pue);

/// The grade of an energy ratio under the configured limits (1..3, 4 = over the limit).
int gb40879_grade(const model::Targets& targets, double energy_ratio);

nlohmann::json to_json(const SiteTargets& t);
nlohmann::json to_json(const OverallTargets& t);

}  // namespace suanli::energy
