// Target checks per site and for the province.
#include "energy/Targets.hpp"

#include <cmath>

#include "model/Summary.hpp"

namespace suanli::energy {

std::string_view to_string(Status s) {
  switch (s) {
    case Status::kPass:
      return "PASS";
    case Status::kFail:
      return "FAIL";
    case Status::kNotApplicable:
      return "n/a";
  }
  return "?";
}

namespace {
Status at_most(double value, double limit) {
  if (std::isnan(value)) return Status::kNotApplicable;
  return value <= limit + 1e-12 ? Status::kPass : Status::kFail;
}
/// A minimum of 0 is no target (liquid_share_min's default): not applicable, not a PASS nothing could fail.
Status at_least(double value, double limit) {
  if (!(limit > 0)) return Status::kNotApplicable;
  return value + 1e-12 >= limit ? Status::kPass : Status::kFail;
}
}  // namespace

int gb40879_grade(const model::Targets& t, double ratio) {
  for (int g = 0; g < 3; ++g)
    if (ratio <= t.gb40879_grade_max[static_cast<std::size_t>(g)] + 1e-12) return g + 1;
  return 4;
}

SiteTargets evaluate_site(const model::Scenario& s, const model::Site& site, double pue) {
  const auto& t = s.energy.targets;
  const auto fig = model::site_figures(s, site);
  SiteTargets r;
  if (fig.size_class == model::SizeClass::kEdge) return r;  // outside the targets and GB 40879
  if (site.hub) {
    r.pue_limit = t.pue_hub_max;
    r.pue = at_most(pue, r.pue_limit);
  } else if (fig.size_class == model::SizeClass::kLarge || fig.size_class == model::SizeClass::kHyperscale) {
    r.pue_limit = t.pue_max;
    r.pue = at_most(pue, r.pue_limit);
  }
  r.liquid = at_least(site.cooling.liquid_share, t.liquid_share_min);
  r.occupancy_limit = site.hub ? t.occupancy_hub_min : t.occupancy_min;
  r.occupancy = at_least(fig.occupancy, r.occupancy_limit);
  r.gb40879_grade = std::isnan(pue) ? 0 : gb40879_grade(t, pue);
  return r;
}

OverallTargets evaluate_overall(const model::Scenario& s, double pue) {
  const auto& t = s.energy.targets;
  const auto fig = model::scenario_figures(s);
  OverallTargets r;
  r.pue = at_most(pue, t.pue_max);
  r.liquid = at_least(fig.liquid_share, t.liquid_share_min);
  r.occupancy = at_least(fig.occupancy, t.occupancy_min);
  return r;
}

nlohmann::json to_json(const SiteTargets& t) {
  return {{"pue", to_string(t.pue)},
          {"pue_limit", t.pue_limit > 0 ? nlohmann::json(t.pue_limit) : nlohmann::json(nullptr)},
          {"liquid_share", to_string(t.liquid)},
          {"occupancy", to_string(t.occupancy)},
          {"occupancy_limit",
           t.occupancy_limit > 0 ? nlohmann::json(t.occupancy_limit) : nlohmann::json(nullptr)},
          {"gb40879_grade", t.gb40879_grade == 0   ? nlohmann::json("out of scope")
                            : t.gb40879_grade == 4 ? nlohmann::json("over limit")
                                                   : nlohmann::json(t.gb40879_grade)}};
}

nlohmann::json to_json(const OverallTargets& t) {
  return {{"pue", to_string(t.pue)},
          {"liquid_share", to_string(t.liquid)},
          {"occupancy", to_string(t.occupancy)}};
}

}  // namespace suanli::energy
