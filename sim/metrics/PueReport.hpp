// The `suanli pue` report: annual PUE per site and overall, with PASS/FAIL against the targets.
#pragma once

#include <nlohmann/json.hpp>
#include <ostream>

#include "energy/AnnualPue.hpp"
#include "model/Scenario.hpp"

namespace suanli::metrics {

nlohmann::json pue_report_json(const model::Scenario& scenario, const energy::SiteWeather& weather,
                               const energy::ItLoadProfile& profile, const energy::Year& year);
/// `verbose` lists every edge DC too.
void print_pue_report(std::ostream& out, const model::Scenario& scenario, const energy::SiteWeather& weather,
                      const energy::ItLoadProfile& profile, const energy::Year& year, bool verbose);

}  // namespace suanli::metrics
