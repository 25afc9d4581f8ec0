// Text and JSON renderings of the annual PUE fast path.
#include "metrics/PueReport.hpp"

#include <cstdio>
#include <filesystem>
#include <string>

#include "io/Format.hpp"
#include "io/Table.hpp"
#include "metrics/RunMetrics.hpp"
#include "model/Summary.hpp"

namespace suanli::metrics {

namespace {

/// A verdict of the province line: PASS, FAIL or "no target".
std::string verdict(energy::Status s) {
  return s == energy::Status::kNotApplicable ? "no target" : std::string(energy::to_string(s));
}

std::string grade(int g) {
  if (g == 0) return "out of scope";
  if (g == 4) return "over limit";
  return "grade " + std::to_string(g);
}

/// "Fuzhou" for ".../CHN_Fujian.Fuzhou.588470_CSWD.epw" (EPW names are COUNTRY_REGION.CITY.WMO_SOURCE).
std::string weather_name(const std::string& source) {
  if (source == "default") return source;
  const std::string stem = std::filesystem::path(source).stem().string();
  const auto a = stem.find('.');
  const auto b = a == std::string::npos ? std::string::npos : stem.find('.', a + 1);
  return b == std::string::npos ? stem : stem.substr(a + 1, b - a - 1);
}

nlohmann::json year_json(const energy::SiteYear& y) {
  return {{"it_kwh", y.it_kwh},
          {"loss_kwh", y.loss_kwh},
          {"air_cooling_kwh", y.air_cooling_kwh},
          {"liquid_cooling_kwh", y.liquid_cooling_kwh},
          {"overhead_kwh", y.overhead_kwh},
          {"facility_kwh", y.facility_kwh},
          {"pue", std::isnan(y.pue) ? nlohmann::json(nullptr) : nlohmann::json(y.pue)},
          {"free_cooling_hours", y.free_cooling_hours},
          {"max_hourly_pue", y.max_hourly_pue},
          {"water_l", y.water_l},
          {"carbon_kg", y.carbon_kg},
          {"cost", y.cost}};
}

/// "the weather year: 8,760 hours ..." or "24 hours of the weather year, 01-01 00:00 to 01-02 00:00".
std::string period_words(const energy::PuePeriod& p) {
  if (p.annual()) return "the weather year: 8,760 hours of each site's weather";
  const double first = std::floor(p.first_hour);
  return std::to_string(p.hours) + " hours of the weather year, " + weather_year_time(first) + " to " +
         weather_year_time(first + static_cast<double>(p.hours)) +
         " (not annual: no PUE verdict, the targets are annual)";
}

}  // namespace

nlohmann::json pue_report_json(const model::Scenario& s, const energy::SiteWeather& weather,
                               const energy::ItLoadProfile& profile, const energy::Year& year) {
  nlohmann::json j;
  j["scenario"] = s.name;
  double mean_w = 0, rated_w = 0;
  for (std::size_t i = 0; i < s.sites.size(); ++i) {
    rated_w += s.sites[i].rated_it_w();
    mean_w +=
        profile.site_mean_w.empty() ? profile.it_load * s.sites[i].rated_it_w() : profile.site_mean_w[i];
  }
  j["it_load"] = {{"source", profile.source},
                  {"description", profile.description},
                  {"mean_w", mean_w},
                  {"share_of_rated", rated_w > 0 ? mean_w / rated_w : 0.0},
                  {"diurnal_amplitude", profile.diurnal_amplitude},
                  {"period", period_words(year.period)}};
  j["period"] = {{"first_hour_of_year", std::floor(year.period.first_hour)},
                 {"hours", year.period.hours},
                 {"annual", year.period.annual()}};
  j["currency"] = s.energy.tariff.currency;
  j["sites"] = nlohmann::json::array();
  for (std::size_t i = 0; i < s.sites.size(); ++i) {
    const auto& site = s.sites[i];
    auto e = year_json(year.sites[i]);
    e["name"] = site.name;
    e["kind"] = model::to_string(site.kind);
    e["size_class"] = model::to_string(model::site_figures(s, site).size_class);
    e["hub"] = site.hub;
    e["liquid_share"] = site.cooling.liquid_share;
    e["weather"] = weather.source(i);
    e["targets"] = energy::to_json(year.sites[i].targets);
    j["sites"].push_back(e);
  }
  j["total"] = year_json(year.total);
  j["total"]["targets"] = energy::to_json(year.targets);
  return j;
}

void print_pue_report(std::ostream& out, const model::Scenario& s, const energy::SiteWeather& weather,
                      const energy::ItLoadProfile& profile, const energy::Year& year, bool verbose) {
  if (year.period.annual())
    out << "Annual PUE of " << s.name << " over 8,760 hours of each site's weather year\n";
  else
    out << "PUE of " << s.name << " over " << period_words(year.period) << "\n";
  out << "  IT load: "
      << (profile.description.empty() ? io::format_fixed_or_dash(100 * profile.it_load, 0) + " % of rated"
                                      : profile.description)
      << (profile.diurnal_amplitude > 0
              ? " (+-" + io::format_fixed_or_dash(100 * profile.diurnal_amplitude, 0) + " % daily)"
              : "")
      << "\n\n";
  out << "  " << io::column("site", 38, true) << io::column("class", 13, true) << io::column("liquid", 7)
      << io::column("weather", 10) << io::column("PUE", 7) << io::column("free h", 8)
      << io::column("limit", 7) << io::column("PUE", 6) << io::column("GB 40879", 14)
      << io::column("occupancy", 16) << "\n";
  std::size_t hidden = 0;
  for (std::size_t i = 0; i < s.sites.size(); ++i) {
    const auto& site = s.sites[i];
    const auto& y = year.sites[i];
    const auto fig = model::site_figures(s, site);
    if (!verbose && fig.size_class == model::SizeClass::kEdge) {
      ++hidden;
      continue;
    }
    const auto& t = y.targets;
    out << "  " << io::column(site.name + (site.hub ? " (hub)" : ""), 38, true)
        << io::column(std::string(model::to_string(fig.size_class)), 13, true)
        << io::column(io::format_fixed_or_dash(100 * site.cooling.liquid_share, 0) + " %", 7)
        << io::column(weather_name(weather.source(i)), 10)
        << io::column(io::format_fixed_or_dash(y.pue, 3), 7)
        << io::column(io::format_fixed_or_dash(y.free_cooling_hours, 0), 8)
        << io::column(t.pue_limit > 0 ? io::format_fixed_or_dash(t.pue_limit, 2) : "-", 7)
        << io::column(std::string(energy::to_string(t.pue)), 6) << io::column(grade(t.gb40879_grade), 14)
        << io::column(io::format_fixed_or_dash(100 * fig.occupancy, 1) + " % " +
                          std::string(energy::to_string(t.occupancy)),
                      16)
        << "\n";
  }
  if (hidden) {
    double it = 0, facility = 0;
    for (std::size_t i = 0; i < s.sites.size(); ++i)
      if (model::site_figures(s, s.sites[i]).size_class == model::SizeClass::kEdge) {
        it += year.sites[i].it_kwh;
        facility += year.sites[i].facility_kwh;
      }
    out << "  "
        << io::column(std::to_string(hidden) + " edge DCs (outside the targets and GB 40879; -v lists them)",
                      68, true)
        << io::column(it > 0 ? io::format_fixed_or_dash(facility / it, 3) : "-", 7) << "\n";
  }
  const auto& y = year.total;
  out << "\n  province: PUE " << io::format_fixed_or_dash(y.pue, 3)
      << (year.period.annual() ? " (target <= " + io::format_fixed_or_dash(s.energy.targets.pue_max, 2) +
                                     ": " + std::string(energy::to_string(year.targets.pue)) + ")"
                               : " (these hours only; the target <= " +
                                     io::format_fixed_or_dash(s.energy.targets.pue_max, 2) + " is annual)")
      << ", liquid-cooled share "
      << io::format_fixed_or_dash(100 * model::scenario_figures(s).liquid_share, 1) << " % ("
      << verdict(year.targets.liquid) << "), rack occupancy "
      << io::format_fixed_or_dash(100 * model::scenario_figures(s).occupancy, 1) << " % ("
      << verdict(year.targets.occupancy) << ")\n";
  out << "  energy: IT " << io::format_fixed_or_dash(y.it_kwh / 1e6, 1) << " GWh, facility "
      << io::format_fixed_or_dash(y.facility_kwh / 1e6, 1) << " GWh (losses "
      << io::format_fixed_or_dash(y.loss_kwh / 1e6, 1) << ", cooling "
      << io::format_fixed_or_dash((y.air_cooling_kwh + y.liquid_cooling_kwh) / 1e6, 1) << ", overheads "
      << io::format_fixed_or_dash(y.overhead_kwh / 1e6, 1) << "); carbon "
      << io::format_fixed_or_dash(y.carbon_kg / 1e6, 1) << " kt CO2; water "
      << io::format_fixed_or_dash(y.water_l / 1e9, 2) << " million m3; electricity "
      << io::format_fixed_or_dash(y.cost / 1e6, 1) << " million " << s.energy.tariff.currency << "\n";
}

}  // namespace suanli::metrics
