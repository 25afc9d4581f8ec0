// What-if tables: headroom, the annual facility fast path and the latency circle, before and after.
#include "capacity/WhatIf.hpp"

#include <algorithm>
#include <cmath>
#include <iomanip>
#include <sstream>

#include "capacity/Growth.hpp"
#include "capacity/Headroom.hpp"
#include "energy/AnnualPue.hpp"
#include "energy/Conditions.hpp"
#include "io/Format.hpp"
#include "model/Error.hpp"
#include "model/Summary.hpp"
#include "topology/Graph.hpp"
#include "topology/LatencyCircle.hpp"

namespace suanli::capacity {

namespace {

/// Usable UPS (IT) or cooling capacity of every site, MW.
double plant_mw(const model::Scenario& s, bool cooling) {
  double w = 0;
  for (const auto& site : s.sites) w += (cooling ? site.cooling.plant : site.ups).usable_w(site.rated_it_w());
  return w / 1e6;
}

std::vector<std::pair<std::string, std::pair<std::string, double>>> figures_of(
    const model::Scenario& s, std::optional<double> it_load) {
  const auto fig = model::scenario_figures(s);
  std::size_t short_sites = 0, no_spare = 0;
  for (const auto& site : s.sites) {
    const int spare = std::min(site.ups.units > 0 ? site.ups.spare_units() : 1,
                               site.cooling.plant.units > 0 ? site.cooling.plant.spare_units() : 1);
    short_sites += spare < 0 ? 1 : 0;
    no_spare += spare == 0 ? 1 : 0;
  }
  const auto head = compute_headroom(s, nullptr);
  const energy::SiteWeather weather(s);
  const energy::GridCarbon carbon(s);
  // The workload's load the sites cannot serve (only when the load is the workload's).
  WorkloadItLoad served;
  const auto load = annual_it_load(s, weather, carbon, it_load, 0, &served);
  const auto year = energy::annual_pue(s, weather, carbon, load);
  const topology::Graph graph(s);
  const auto circle = topology::latency_circle(s, graph);
  std::size_t central = 0;
  for (const auto& c : s.cities) central += c.role == model::CityRole::kCentral ? 1 : 0;
  const double demand_share = circle.demand_weight_total > 0
                                  ? circle.demand_weight_within / circle.demand_weight_total
                                  : std::nan("");
  return {
      {"sites", {"", static_cast<double>(s.sites.size())}},
      {"standard racks built", {"racks", static_cast<double>(fig.racks)}},
      {"racks occupied", {"racks", fig.occupied_racks}},
      {"rack occupancy", {"%", 100 * fig.occupancy}},
      {"racks that can still be added", {"racks", static_cast<double>(head.province.racks_addable)}},
      {"rated IT power", {"MW", static_cast<double>(fig.racks) * model::kStandardRackW / 1e6}},
      {"IT power at full load", {"MW", fig.it_power_max_w / 1e6}},
      {"usable IT power (UPS)", {"MW", plant_mw(s, false)}},
      {"usable cooling capacity", {"MW", plant_mw(s, true)}},
      {"sites short of UPS or cooling (below N)", {"", static_cast<double>(short_sites)}},
      {"sites without a spare unit (N+0)", {"", static_cast<double>(no_spare)}},
      {"GPUs", {"", static_cast<double>(fig.gpus)}},
      {"servers", {"", static_cast<double>(fig.servers)}},
      {"peak compute", {"EFLOPS", fig.peak_flops / 1e18}},
      {"liquid-cooled share", {"%", 100 * fig.liquid_share}},
      {"workload: cores busy beyond those installed", {"cores", served.cores_beyond}},
      {"workload: GPUs busy beyond those installed", {"GPUs", served.gpus_beyond}},
      {"annual IT energy", {"GWh", year.total.it_kwh / 1e6}},
      {"annual PUE", {"", year.total.pue}},
      {"annual facility energy", {"GWh", year.total.facility_kwh / 1e6}},
      {"annual carbon", {"kt CO2", year.total.carbon_kg / 1e6}},
      {"annual electricity cost", {"M " + s.energy.tariff.currency, year.total.cost / 1e6}},
      {"sites within their city's latency budget", {"", static_cast<double>(circle.sites_within)}},
      {"central-city pairs within budget", {"", static_cast<double>(circle.central_pairs_within)}},
      {"central cities", {"", static_cast<double>(central)}},
      {"demand weight within budget", {"%", 100 * demand_share}},
  };
}

std::string number(double x) {
  const double a = std::fabs(x);
  return io::format_fixed_or_dash(x, a == std::floor(a) && a < 1e15 ? 0 : (a >= 100 ? 1 : 3));
}

}  // namespace

std::vector<WhatIfRow> what_if(const model::Scenario& baseline, const model::Scenario& changed,
                               std::optional<double> it_load) {
  const auto a = figures_of(baseline, it_load);
  const auto b = figures_of(changed, it_load);
  std::vector<WhatIfRow> rows;
  for (std::size_t i = 0; i < a.size(); ++i)
    rows.push_back({a[i].first, a[i].second.first, a[i].second.second, b[i].second.second});
  return rows;
}

std::vector<std::string> remove_site(model::Scenario& s, const std::string& site) {
  std::erase_if(s.sites, [&](const model::Site& x) { return x.name == site; });
  std::erase_if(s.links, [&](const model::Link& l) { return l.from == site || l.to == site; });
  std::vector<std::string> emptied;
  for (auto& c : s.workload.classes)
    if (std::erase(c.sites, site) > 0 && c.sites.empty()) emptied.push_back(c.name);
  return emptied;
}

model::Scenario with_failures(const model::Scenario& scenario, const std::vector<std::string>& failures,
                              const std::string& option) {
  model::Scenario s = scenario;
  const auto site_named = [&](const std::string& f, const std::string& name) {
    const auto it =
        std::find_if(s.sites.begin(), s.sites.end(), [&](const model::Site& x) { return x.name == name; });
    if (it == s.sites.end()) throw model::UserError(option, f, "no site \"" + name + "\" in the scenario");
    return it;
  };
  for (const auto& f : failures) {
    const auto colon = f.find(':');
    const std::string kind = colon == std::string::npos ? "" : f.substr(0, colon);
    const std::string what = colon == std::string::npos ? "" : f.substr(colon + 1);
    if (kind == "site") {
      site_named(f, what);
      remove_site(s, what);  // the capacity figures do not depend on the classes' site lists
    } else if (kind == "cooling" || kind == "ups") {
      const auto it = site_named(f, what);
      auto& plant = kind == "ups" ? it->ups : it->cooling.plant;
      if (plant.units <= 0)
        throw model::UserError(option, f,
                               "site \"" + what + "\" has no " + kind +
                                   " units in the scenario (set /sites/N/" +
                                   (kind == "ups" ? "ups" : "cooling") + "/units, e.g. with --set)");
      if (plant.failed_units >= plant.units)
        throw model::UserError(option, f, "every " + kind + " unit of \"" + what + "\" has already failed");
      ++plant.failed_units;
    } else if (kind == "link") {
      const auto comma = what.find(',');
      if (comma == std::string::npos)
        throw model::UserError(option, f, "expected link:A,B with the link's two ends (cities or sites)");
      const std::string a = what.substr(0, comma), b = what.substr(comma + 1);
      const auto n = std::erase_if(s.links, [&](const model::Link& l) {
        return (l.from == a && l.to == b) || (l.from == b && l.to == a);
      });
      if (n == 0) throw model::UserError(option, f, "no fiber link between \"" + a + "\" and \"" + b + "\"");
    } else {
      throw model::UserError(option, f, "expected site:NAME, link:A,B, cooling:SITE or ups:SITE");
    }
  }
  return s;
}

void print_what_if(std::ostream& out, const std::vector<WhatIfRow>& rows) {
  out << "  " << std::left << std::setw(44) << "figure" << std::right << std::setw(14) << "baseline"
      << std::setw(14) << "what-if" << std::setw(14) << "difference" << std::setw(10) << "change"
      << "  unit\n";
  for (const auto& r : rows) {
    const double d = r.changed - r.baseline;
    std::string rel = "";
    if (std::isfinite(d) && r.baseline != 0 && d != 0 && r.unit != "%") {
      const std::string v = io::format_fixed(100 * d / std::fabs(r.baseline), 1);
      rel = (v.front() == '-' ? v : "+" + v) + " %";
    }
    out << (d != 0 && std::isfinite(d) ? "* " : "  ") << std::left << std::setw(44) << r.figure << std::right
        << std::setw(14) << number(r.baseline) << std::setw(14) << number(r.changed) << std::setw(14)
        << (d > 0 ? "+" : "") + number(d) << std::setw(10) << rel << "  " << r.unit << "\n";
  }
  out << "  (* changed; annual figures: the facility fast path at the given IT load, as `suanli pue`)\n";
}

std::string what_if_csv(const std::vector<WhatIfRow>& rows, bool bom) {
  std::string out = bom ? std::string(io::kUtf8Bom) : "";
  out += "figure,unit,baseline,what_if,difference\n";
  const auto f = io::format_double_or_empty;
  for (const auto& r : rows)
    out += io::spreadsheet_cell(r.figure) + "," + io::spreadsheet_cell(r.unit) + "," + f(r.baseline) + "," +
           f(r.changed) + "," + f(r.changed - r.baseline) + "\n";
  return out;
}

}  // namespace suanli::capacity
