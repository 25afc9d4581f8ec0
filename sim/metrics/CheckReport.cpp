// Text and JSON renderings of the check and plan-edge results.
#include "metrics/CheckReport.hpp"

#include <cstdio>
#include <string>

#include "energy/PowerCurve.hpp"
#include "io/Format.hpp"
#include "io/Table.hpp"
#include "model/Summary.hpp"

namespace suanli::metrics {

namespace {

using nlohmann::json;

std::string ms(double seconds) { return io::format_fixed(seconds * 1e3, 3); }

std::string pct(double part, double whole) {
  return whole > 0 ? io::format_fixed(100.0 * part / whole, 1) : std::string("n/a");
}

double ratio(double part, double whole) { return whole > 0 ? part / whole : 1.0; }

}  // namespace

json check_report_json(const model::Scenario& s, const topology::CircleReport& c) {
  const auto t = model::scenario_figures(s);
  json j;
  j["scenario"] = s.name;
  j["file"] = s.source_file;
  j["totals"] = {{"cities", s.cities.size()},
                 {"sites", s.sites.size()},
                 {"racks", t.racks},
                 {"occupied_racks", t.occupied_racks},
                 {"installed_occupancy", t.occupancy},
                 {"servers", t.servers},
                 {"gpus", t.gpus},
                 {"cpu_flops", t.cpu_flops},
                 {"gpu_flops", t.gpu_flops},
                 {"peak_flops", t.peak_flops},
                 {"hpc_peak_flops", t.hpc_peak_flops},
                 {"it_power_max_w", t.it_power_max_w},
                 {"liquid_share", t.liquid_share}};
  json by_kind = json::object(), by_class = json::object();
  for (int k = 0; k < 4; ++k) {
    by_kind[std::string(model::to_string(static_cast<model::SiteKind>(k)))] = t.sites_by_kind[k];
    by_class[std::string(model::to_string(static_cast<model::SizeClass>(k)))] = t.sites_by_size_class[k];
  }
  j["totals"]["sites_by_kind"] = by_kind;
  j["totals"]["sites_by_size_class"] = by_class;

  j["sites"] = json::array();
  for (const auto& site : s.sites) {
    const auto f = model::site_figures(s, site);
    j["sites"].push_back({{"name", site.name},
                          {"city", site.city},
                          {"kind", model::to_string(site.kind)},
                          {"size_class", model::to_string(f.size_class)},
                          {"hub", site.hub},
                          {"racks", site.racks},
                          {"occupied_racks", f.occupied_racks},
                          {"installed_occupancy", f.occupancy},
                          {"servers", f.servers},
                          {"peak_flops", f.peak_flops},
                          {"it_power_max_w", f.it_power_max_w},
                          {"liquid_share", site.cooling.liquid_share}});
  }

  json circle;
  circle["mode"] = model::to_string(c.mode);
  circle["intra_city_budget_s"] = c.intra_city_budget_s;
  circle["inter_central_city_budget_s"] = c.inter_central_budget_s;
  circle["cities"] = json::array();
  for (const auto& city : c.cities) {
    json own = json::array(), reach = json::array();
    for (const auto& e : city.own_sites)
      own.push_back({{"site", s.sites[e.site].name}, {"latency_s", e.latency_s}, {"within", e.within}});
    for (const auto& e : city.reachable_sites)
      reach.push_back(
          {{"site", s.sites[e.site].name}, {"city", s.sites[e.site].city}, {"latency_s", e.latency_s}});
    circle["cities"].push_back({{"city", s.cities[city.city].name},
                                {"role", model::to_string(s.cities[city.city].role)},
                                {"sites", own},
                                {"sites_within", city.own_within},
                                {"sites_within_budget", reach},
                                {"centre_pairs", city.centre_pairs},
                                {"centre_pairs_within", city.centre_pairs_within},
                                {"max_centre_pair_latency_s", city.max_centre_pair_s},
                                {"within", city.within()}});
  }
  circle["central_pairs"] = json::array();
  for (const auto& p : c.central_pairs)
    circle["central_pairs"].push_back({{"a", s.cities[p.a].name},
                                       {"b", s.cities[p.b].name},
                                       {"latency_s", p.latency_s},
                                       {"within", p.within}});
  circle["demand_points"] = json::array();
  for (const auto& d : c.demand)
    circle["demand_points"].push_back({{"name", s.demand_points[d.point].name},
                                       {"city", s.demand_points[d.point].city},
                                       {"nearest_site", s.sites[d.nearest_site].name},
                                       {"latency_s", d.latency_s},
                                       {"within", d.within}});
  j["latency_circle"] = circle;

  j["coverage"] = {
      {"sites_within_city_budget",
       ratio(static_cast<double>(c.sites_within), static_cast<double>(c.sites_total))},
      {"sites_within", c.sites_within},
      {"sites_total", c.sites_total},
      {"cities_within", ratio(static_cast<double>(c.cities_within), static_cast<double>(c.cities.size()))},
      {"central_pairs_within",
       ratio(static_cast<double>(c.central_pairs_within), static_cast<double>(c.central_pairs.size()))},
      {"demand_weight_within", ratio(c.demand_weight_within, c.demand_weight_total)}};
  j["violations"] = json::array();
  for (const auto& v : c.violations)
    j["violations"].push_back(
        {{"kind", v.kind}, {"subject", v.subject}, {"latency_s", v.latency_s}, {"budget_s", v.budget_s}});
  return j;
}

void print_check_report(std::ostream& out, const model::Scenario& s, const topology::CircleReport& c,
                        bool verbose) {
  const auto t = model::scenario_figures(s);
  std::size_t central = 0;
  for (const auto& city : s.cities) central += city.role == model::CityRole::kCentral ? 1 : 0;

  out << "Scenario " << s.name << " (" << s.source_file << ")\n";
  out << "  cities       " << s.cities.size() << " (" << central << " central)\n";
  out << "  sites        " << s.sites.size() << ":";
  for (int k = 0; k < 4; ++k)
    out << (k ? ", " : " ") << t.sites_by_kind[k] << " " << model::to_string(static_cast<model::SiteKind>(k));
  out << "\n  size classes";
  for (int k = 3; k >= 0; --k)
    out << (k != 3 ? ", " : " ") << t.sites_by_size_class[k] << " "
        << model::to_string(static_cast<model::SizeClass>(k));
  out << "\n  racks        " << io::grouped(static_cast<double>(t.racks), 0)
      << " standard racks built (2.5 kW each), " << io::grouped(t.occupied_racks, 0)
      << " occupied by installed servers (" << pct(t.occupied_racks, static_cast<double>(t.racks)) << " %)\n";
  // EFLOPS for a province, PFLOPS for smaller networks.
  const bool exa = t.peak_flops >= 1e18;
  const double unit = exa ? 1e18 : 1e15;
  const char* unit_name = exa ? " EFLOPS" : " PFLOPS";
  out << "  compute      " << io::format_fixed(t.peak_flops / unit, 2) << unit_name << " peak (CPU "
      << io::format_fixed(t.cpu_flops / unit, 2) << ", accelerators "
      << io::format_fixed(t.gpu_flops / unit, 2) << "); HPC centres "
      << io::format_fixed(t.hpc_peak_flops / 1e15, 1) << " PFLOPS\n";
  out << "  IT power     " << io::format_fixed(t.it_power_max_w / 1e6, 1)
      << " MW at full load; liquid-cooled share " << io::format_fixed(100 * t.liquid_share, 1) << " %\n";
  for (const auto& type : s.node_types)
    if (type.power_curve_w) {
      energy::PowerCurve curve{*type.power_curve_w};
      out << "  power curve  " << type.name << ": SPECpower table " << type.power_curve_file
          << "; SimGrid's linear idle-to-max model is within "
          << io::format_fixed(100 * energy::linear_fit_error(curve), 1) << " % of it (of max power)\n";
    }
  out << "\n";

  out << "Latency circle (" << model::to_string(c.mode) << "; inside a city <= " << ms(c.intra_city_budget_s)
      << " ms, between central cities <= " << ms(c.inter_central_budget_s) << " ms)\n";
  out << "  " << io::pad_right("city", 14) << io::pad_right("role", 9) << io::pad_left("sites", 6)
      << io::pad_left("within", 8) << io::pad_left("max ms", 9) << io::pad_left("centre pairs", 14)
      << io::pad_left("max pair ms", 13) << io::pad_left("reachable", 11) << "\n";
  for (const auto& city : c.cities) {
    double worst = 0;
    for (const auto& e : city.own_sites) worst = std::max(worst, e.latency_s);
    const auto& info = s.cities[city.city];
    out << "  " << io::pad_right(info.name, 14) << io::pad_right(std::string(model::to_string(info.role)), 9)
        << io::pad_left(std::to_string(city.own_sites.size()), 6)
        << io::pad_left(std::to_string(city.own_within), 8) << io::pad_left(ms(worst), 9)
        << io::pad_left(std::to_string(city.centre_pairs_within) + "/" + std::to_string(city.centre_pairs),
                        14)
        << io::pad_left(city.centre_pairs ? ms(city.max_centre_pair_s) : std::string("-"), 13)
        << io::pad_left(std::to_string(city.reachable_sites.size()), 11) << "\n";
  }
  out << "  (reachable: sites of any city within the budget of the city's hub)\n";
  for (const auto& city : c.cities) {
    std::string names;
    std::size_t edge = 0;
    for (const auto& e : city.reachable_sites) {
      const auto& site = s.sites[e.site];
      if (!verbose && site.kind == model::SiteKind::kEdgeDc) {
        ++edge;
        continue;
      }
      names += (names.empty() ? "" : ", ") + site.name + " " + ms(e.latency_s);
    }
    out << "  " << s.cities[city.city].name << ": " << (names.empty() ? "no centres" : names);
    if (edge) out << "; " << edge << (edge == 1 ? " edge DC" : " edge DCs");
    out << "\n";
  }

  if (!c.central_pairs.empty()) {
    out << "\nCentral cities\n";
    for (const auto& p : c.central_pairs)
      out << "  " << io::pad_right(s.cities[p.a].name + " - " + s.cities[p.b].name, 28)
          << io::pad_left(ms(p.latency_s), 8) << " ms  " << (p.within ? "ok" : "VIOLATION") << "\n";
  }

  out << "\nCoverage\n";
  out << "  sites within their city's budget     " << c.sites_within << "/" << c.sites_total << " ("
      << pct(static_cast<double>(c.sites_within), static_cast<double>(c.sites_total)) << " %)\n";
  out << "  cities entirely within the circle    " << c.cities_within << "/" << c.cities.size() << " ("
      << pct(static_cast<double>(c.cities_within), static_cast<double>(c.cities.size())) << " %)\n";
  out << "  central-city pairs within budget     " << c.central_pairs_within << "/" << c.central_pairs.size()
      << " (" << pct(static_cast<double>(c.central_pairs_within), static_cast<double>(c.central_pairs.size()))
      << " %)\n";
  if (!c.demand.empty()) {
    std::size_t within = 0;
    for (const auto& d : c.demand) within += d.within ? 1 : 0;
    out << "  demand points within budget of a site " << within << "/" << c.demand.size() << " ("
        << pct(c.demand_weight_within, c.demand_weight_total) << " % of demand weight)\n";
  }

  out << "\nViolations: " << (c.violations.empty() ? "none" : std::to_string(c.violations.size())) << "\n";
  for (const auto& v : c.violations)
    out << "  " << io::pad_right(v.kind, 13) << v.subject << ": " << ms(v.latency_s) << " ms > "
        << ms(v.budget_s) << " ms\n";
  if (!violations_not_about_demand(c).empty())
    out << "  (site: latency from the city's hub; pairs: between the two. New edge sites do not change "
           "these:\n"
           "  `suanli plan-edge` brings demand points within their budget, a different question.)\n";
}

std::vector<topology::Violation> violations_not_about_demand(const topology::CircleReport& circle) {
  std::vector<topology::Violation> out;
  for (const auto& v : circle.violations)
    if (v.kind != "demand_point") out.push_back(v);
  return out;
}

json edge_plan_json(const model::Scenario& s, const topology::EdgePlanOptions& o, const topology::EdgePlan& p,
                    const std::vector<topology::Violation>& not_fixed) {
  json j;
  j["scenario"] = s.name;
  j["budget_s"] = o.budget_s;
  j["mode"] = model::to_string(o.mode);
  j["ignore_existing_edge"] = o.ignore_existing_edge;
  j["candidates"] = p.candidates;
  j["demand_points"] = p.demand_points;
  j["covered_before"] = p.covered_before;
  j["covered_after"] = p.covered_after;
  j["weight_covered_before"] = ratio(p.weight_covered_before, p.weight_total);
  j["weight_covered_after"] = ratio(p.weight_covered_after, p.weight_total);
  j["approximation_factor"] = p.approximation_factor;
  j["proposed"] = json::array();
  const bool has_points = !s.demand_points.empty();
  auto point_name = [&](std::size_t d) { return has_points ? s.demand_points[d].name : s.cities[d].name; };
  for (const auto& site : p.proposed) {
    json covers = json::array();
    for (auto d : site.covers) covers.push_back(point_name(d));
    j["proposed"].push_back({{"candidate", site.where.name},
                             {"city", site.where.city},
                             {"lat_deg", site.where.lat_deg},
                             {"lon_deg", site.where.lon_deg},
                             {"covers", covers},
                             {"covered_weight", site.covered_weight}});
  }
  j["uncoverable"] = json::array();
  for (auto d : p.uncoverable) j["uncoverable"].push_back(point_name(d));
  // What `suanli check` reports besides demand coverage, which no new edge site changes.
  j["not_fixed_by_new_sites"] = json::array();
  for (const auto& v : not_fixed)
    j["not_fixed_by_new_sites"].push_back(
        {{"kind", v.kind}, {"subject", v.subject}, {"latency_s", v.latency_s}, {"budget_s", v.budget_s}});
  return j;
}

void print_edge_plan(std::ostream& out, const model::Scenario& s, const topology::EdgePlanOptions& o,
                     const topology::EdgePlan& p, const std::vector<topology::Violation>& not_fixed) {
  const bool has_points = !s.demand_points.empty();
  auto point_name = [&](std::size_t d) { return has_points ? s.demand_points[d].name : s.cities[d].name; };
  out << "Edge plan for " << s.name << ": budget " << ms(o.budget_s) << " ms (" << model::to_string(o.mode)
      << ") from each demand point to its nearest site"
      << (o.ignore_existing_edge ? ", ignoring the existing edge DCs" : "") << "\n";
  out << "  demand points   " << p.demand_points
      << (has_points ? "" : " (the city hubs: the scenario lists no demand_points)") << "\n";
  out << "  covered before  " << p.covered_before << " (" << pct(p.weight_covered_before, p.weight_total)
      << " % of weight)\n";
  out << "  candidates      " << p.candidates << "\n";
  out << "  new edge sites  " << p.proposed.size() << "\n";
  for (std::size_t i = 0; i < p.proposed.size(); ++i) {
    const auto& site = p.proposed[i];
    std::string covers;
    for (auto d : site.covers) covers += (covers.empty() ? "" : ", ") + point_name(d);
    out << "    " << io::pad_left(std::to_string(i + 1), 3) << ". " << io::pad_right(site.where.name, 18)
        << io::pad_right(site.where.city, 12) << io::format_fixed(site.where.lat_deg, 3) << ", "
        << io::format_fixed(site.where.lon_deg, 3) << "  covers " << site.covers.size() << ": " << covers
        << "\n";
  }
  out << "  covered after   " << p.covered_after << " (" << pct(p.weight_covered_after, p.weight_total)
      << " % of weight)\n";
  if (!p.uncoverable.empty()) {
    out << "  out of reach    " << p.uncoverable.size()
        << " demand points no candidate brings within budget:";
    for (auto d : p.uncoverable) out << " " << point_name(d);
    out << "\n";
  }
  out << "  Greedy set cover: at most " << io::format_fixed(p.approximation_factor, 2)
      << " x the minimum number of sites (H(d), d = most points one candidate covers).\n";
  if (!not_fixed.empty()) {
    out << "\nNot closed by new edge sites: " << not_fixed.size()
        << " violation(s) `suanli check` reports are about where existing sites stand, not about demand:\n";
    for (const auto& v : not_fixed)
      out << "  " << io::pad_right(v.kind, 13) << v.subject << ": " << ms(v.latency_s) << " ms > "
          << ms(v.budget_s) << " ms\n";
    out << "  A site beyond its city's budget is measured from the city's hub: it needs a shorter fiber "
           "route\n"
           "  to the hub (or to stand elsewhere); a pair of centres or central cities, a shorter route "
           "between them.\n";
  }
}

json proposed_sites_json(const topology::EdgePlan& plan, int racks_per_site) {
  json sites = json::array();
  for (std::size_t i = 0; i < plan.proposed.size(); ++i) {
    const auto& w = plan.proposed[i].where;
    sites.push_back({{"name", "edge-new-" + std::to_string(i + 1) + "-" + w.name},
                     {"kind", "edge_dc"},
                     {"city", w.city},
                     {"lat_deg", w.lat_deg},
                     {"lon_deg", w.lon_deg},
                     {"racks", racks_per_site}});
  }
  return sites;
}

}  // namespace suanli::metrics
