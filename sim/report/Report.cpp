// The HTML report: page skeleton and CSS, the run sections (summary, targets, charts, decisions),
// the A/B comparison and the sweep section. Every input string goes through html_escape.
#include "report/Report.hpp"

#include <algorithm>
#include <cmath>
#include <functional>
#include <map>
#include <nlohmann/json.hpp>

#include "io/Format.hpp"
#include "io/OutputFile.hpp"
#include "model/Error.hpp"
#include "report/Format.hpp"
#include "report/RunCharts.hpp"
#include "report/RunData.hpp"
#include "report/Svg.hpp"
#include "suanli/version.hpp"

namespace suanli::report {

using nlohmann::json;

namespace {

// ---------------------------------------------------------------------------------------------
// Page skeleton.

const char* const kCss =
    R"(:root { --ink: #1d2330; --muted: #5b6475; --line: #d5d9e0; --pass: #1a7f37; --fail: #c62828; --na: #8a8f98; }
* { box-sizing: border-box; }
body { margin: 0 auto; max-width: 1480px; padding: 24px 32px 48px; color: var(--ink); background: #fff;
  font: 16px/1.45 system-ui, "Segoe UI", "Noto Sans", "Noto Sans CJK SC", "PingFang SC", "Microsoft YaHei", sans-serif; }
h1 { font-size: 30px; margin: 0 0 4px; }
h2 { font-size: 23px; margin: 36px 0 10px; padding-bottom: 4px; border-bottom: 2px solid var(--line); }
h3 { font-size: 18px; margin: 20px 0 6px; }
p { margin: 6px 0; }
code { font-size: 14px; background: #f3f5f8; padding: 1px 4px; border-radius: 3px; }
.sub, .note, .caption { color: var(--muted); }
.note, .caption { font-size: 14px; }
nav { margin: 10px 0; font-size: 15px; }
nav a { margin-right: 16px; color: #2b5fa6; text-decoration: none; }
.cards { display: flex; flex-wrap: wrap; gap: 12px; margin: 12px 0; }
.card { border: 1px solid var(--line); border-radius: 8px; padding: 8px 14px; min-width: 150px; }
.card .v { font-size: 26px; font-weight: 600; }
.card .k { font-size: 13px; color: var(--muted); }
table { border-collapse: collapse; font-size: 14px; margin: 8px 0; }
th, td { padding: 4px 10px; border-bottom: 1px solid var(--line); text-align: right; white-space: nowrap; }
th { background: #f3f5f8; position: sticky; top: 0; white-space: normal; vertical-align: bottom; }
th.t, td.t { text-align: left; }
td.wrap { white-space: normal; text-align: left; min-width: 240px; max-width: 520px; }
.scroll { overflow: auto; max-height: 640px; max-width: 100%; }
.scroll.wide { max-height: none; }
.wide tr > :first-child { position: sticky; left: 0; background: #fff; }
.badge { display: inline-block; padding: 0 8px; border-radius: 10px; font-weight: 600; font-size: 13px; color: #fff; }
.badge.pass { background: var(--pass); }
.badge.fail { background: var(--fail); }
.badge.na { background: var(--na); }
.verdict { font-size: 18px; font-weight: 600; margin: 8px 0; }
.grid2 { display: grid; grid-template-columns: repeat(2, minmax(0, 1fr)); gap: 20px 32px; }
figure { margin: 0; }
.panel-label { font-weight: 700; font-size: 15px; margin: 2px 0; }
svg.chart { width: 100%; height: auto; display: block; }
svg .grid line { stroke: #e6e8ec; }
svg .frame { fill: none; stroke: #9aa1ad; }
svg .tick { font-size: 11px; fill: #4a5160; }
svg .axis-label { font-size: 12px; fill: #2b3140; }
svg .marker line { stroke-dasharray: 4 3; stroke-width: 1.4; }
svg .marker text { font-size: 11px; }
svg .errorbar { stroke: #222; stroke-width: 1.4; fill: none; }
svg.map .circle { fill: #3b6ea8; fill-opacity: 0.06; stroke: #3b6ea8; stroke-dasharray: 5 4; stroke-width: 1.2; }
svg.map .hub { fill: #222; }
svg.map .city text { font-size: 12px; font-weight: 700; fill: #222; paint-order: stroke; stroke: #fff; stroke-width: 3px; }
svg.map .site { stroke: #fff; stroke-width: 1; fill-opacity: 0.9; }
svg.map .label text { font-size: 10.5px; fill: #222; paint-order: stroke; stroke: #fff; stroke-width: 3px; }
svg.map .scalebar path { fill: none; stroke: #222; stroke-width: 1.5; }
svg.map .scalebar text { font-size: 11px; }
.legend { display: flex; flex-wrap: wrap; gap: 2px 14px; font-size: 13px; margin: 4px 0 0 56px; }
.key { white-space: nowrap; }
.sw { display: inline-block; width: 20px; height: 0; border-top: 3px solid; vertical-align: middle; margin-right: 5px; }
.sw.dash { border-top-style: dashed; }
.sw.fill { height: 11px; border: 0; }
.empty { color: var(--muted); font-style: italic; }
footer { margin-top: 40px; color: var(--muted); font-size: 13px; }
@media print { .scroll { max-height: none; overflow: visible; } figure { break-inside: avoid; } }
)";

std::string page(const std::string& title, const std::string& body) {
  return "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
         "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n<title>" +
         html_escape(title) + "</title>\n<style>\n" + kCss + "</style>\n</head>\n<body>\n" + body +
         "<footer>Made by suanli " + html_escape(kVersion) +
         " (<code>suanli report</code>). Self-contained: no script and no external resource.</footer>\n"
         "</body>\n</html>\n";
}

// ---------------------------------------------------------------------------------------------
// JSON access that tolerates what a document lacks ("-" in the tables).

const json& at(const json& j, std::initializer_list<const char*> keys) {
  static const json null;
  const json* p = &j;
  for (const char* k : keys) {
    if (!p->is_object()) return null;
    const auto it = p->find(k);
    if (it == p->end()) return null;
    p = &*it;
  }
  return *p;
}
double number(const json& j, std::initializer_list<const char*> keys) {
  const json& v = at(j, keys);
  return v.is_number() ? v.get<double>() : kNaN;
}
std::string text(const json& j, std::initializer_list<const char*> keys) {
  const json& v = at(j, keys);
  if (v.is_string()) return v.get<std::string>();
  if (v.is_null()) return "";
  return v.dump();
}

std::string td(const std::string& html, bool left = false) {
  return (left ? "<td class=\"t\">" : "<td>") + html + "</td>";
}
std::string th(const std::string& label, bool left = false) {
  return (left ? "<th class=\"t\">" : "<th>") + html_escape(label) + "</th>";
}

/// PASS / FAIL / n/a as a coloured badge; other strings as they are.
std::string badge(const std::string& verdict) {
  if (verdict.empty()) return "-";
  const std::string cls = verdict == "PASS" ? "pass" : verdict == "FAIL" ? "fail" : "na";
  return "<span class=\"badge " + cls + "\">" + html_escape(verdict) + "</span>";
}

std::string card(const std::string& value, const std::string& label) {
  return "<div class=\"card\"><div class=\"v\">" + html_escape(value) + "</div><div class=\"k\">" +
         html_escape(label) + "</div></div>";
}

std::string grade(const json& g) {
  if (g.is_number()) return "grade " + g.dump();
  return g.is_string() ? g.get<std::string>() : "-";
}

const SiteInfo* site_info(const RunData& run, const std::string& name) {
  for (const auto& s : run.sites)
    if (s.name == name) return &s;
  return nullptr;
}

std::string run_subtitle(const RunData& run) {
  return "seed " + html_escape(text(run.summary, {"seed"})) + " &middot; " +
         html_escape(io::duration_words(run.simulated_s)) + " simulated &middot; run folder <code>" +
         html_escape(run.folder) + "</code>";
}

// ---------------------------------------------------------------------------------------------
// The tables of one run.

std::string summary_cards(const RunData& r) {
  const json& t = at(r.summary, {"totals"});
  std::string s = "<div class=\"cards\">";
  s += card(io::whole(number(r.summary, {"jobs", "submitted"})), "jobs submitted");
  s += card(io::whole(number(r.summary, {"jobs", "completed"})), "completed");
  s += card(io::whole(number(r.summary, {"jobs", "rejected"})), "rejected");
  s += card(io::whole(number(r.summary, {"jobs", "unfinished"})), "unfinished at the end");
  s += card(io::significant(number(t, {"it_energy_j"}) / 3.6e9, 3) + " MWh", "IT energy");
  s += card(io::significant(number(t, {"facility_energy_j"}) / 3.6e9, 3) + " MWh", "facility energy");
  s += card(io::grouped(number(t, {"pue"}), 3), "PUE");
  s += card(io::significant(number(t, {"carbon_kg"}) / 1000, 3) + " t", "CO\u2082");
  s += card(io::percent(number(t, {"cpu_utilization"})), "CPU utilization");
  s += card(io::percent(number(t, {"gpu_utilization"})), "GPU utilization");
  return s + "</div>\n";
}

std::string class_table(const RunData& r) {
  std::map<std::string, std::string> placement;
  for (const auto& c : at(r.scenario, {"workload", "classes"}))
    placement[text(c, {"name"})] = text(c, {"placement"});
  std::string s = "<div class=\"scroll\"><table>\n<tr>" + th("class", true) + th("kind", true) +
                  th("placement", true) + th("jobs") + th("represented") + th("completed") + th("rejected") +
                  th("unfinished") + th("wait p50 (s)") + th("wait p95 (s)") + th("round trip p95 (ms)") +
                  th("budget met") + th("deadline met") + "</tr>\n";
  for (const auto& c : at(r.summary, {"classes"})) {
    const std::string name = text(c, {"name"});
    s += "<tr>" + td(html_escape(name), true) + td(html_escape(text(c, {"kind"})), true) +
         td(html_escape(placement.count(name) ? placement[name] : ""), true) +
         td(io::whole(number(c, {"jobs_simulated"}))) + td(io::whole(number(c, {"jobs_represented"}))) +
         td(io::whole(number(c, {"completed"}))) + td(io::whole(number(c, {"rejected"}))) +
         td(io::whole(number(c, {"unfinished"}))) + td(io::significant(number(c, {"wait_s", "p50"}), 3)) +
         td(io::significant(number(c, {"wait_s", "p95"}), 3)) +
         td(io::significant(number(c, {"network_rtt_s", "p95"}) * 1e3, 3)) +
         td(io::percent(number(c, {"budget_attainment"}), 2)) +
         td(io::percent(number(c, {"deadline_attainment"}), 2)) + "</tr>\n";
  }
  return s +
         "</table></div>\n<p class=\"note\">Waits and round trips are weighted by the jobs each simulated "
         "job "
         "stands for; budget met: share of latency-critical jobs whose network round trip is within the "
         "class budget.</p>\n";
}

std::string targets_section(const RunData& r) {
  const json& t = at(r.summary, {"totals"});
  const json& limits = at(r.scenario, {"targets"});
  // Every verdict of the run, overall and per site.
  constexpr std::size_t kMaxListed = 20;
  std::size_t fails = 0, passes = 0;
  std::string missed;  // list items, the first kMaxListed
  const auto tally = [&](const json& targets, const std::string& where, const json& values) {
    static const char* const kTargets[][3] = {{"pue", "PUE", "pue"},
                                              {"liquid_share", "liquid-cooled share", "liquid_share"},
                                              {"occupancy", "rack occupancy", "rack_occupancy"}};
    for (const auto& [key, label, value_key] : kTargets) {
      const std::string v = text(targets, {key});
      passes += v == "PASS" ? 1 : 0;
      if (v != "FAIL") continue;
      if (++fails > kMaxListed) continue;
      const bool pue = std::string(key) == "pue";
      const double value = number(values, {value_key});
      const double limit = number(targets, {(std::string(key) + "_limit").c_str()});
      missed +=
          "<li>" + html_escape(where) + ": " + label + " " +
          (pue ? io::grouped(value, 3) : io::percent(value)) +
          (std::isfinite(limit) ? (pue ? " &gt; " + io::grouped(limit, 2) : " &lt; " + io::percent(limit, 0))
                                : "") +
          "</li>";
    }
  };
  tally(at(t, {"targets"}), "province / network", t);
  for (const auto& site : at(r.summary, {"sites"})) tally(at(site, {"targets"}), text(site, {"name"}), site);
  std::string s =
      "<p class=\"verdict\">" +
      (fails == 0 ? badge("PASS") + " all " + io::whole(double(passes)) + " targets checked are met"
                  : badge("FAIL") + " " + io::whole(double(fails)) + " of " +
                        io::whole(double(fails + passes)) + " targets checked are missed") +
      "</p>\n";
  if (fails > 0)
    s += "<ul class=\"missed\">" + missed + "</ul>\n" +
         (fails > kMaxListed
              ? "<p class=\"note\">The first " + io::whole(double(kMaxListed)) + " are listed.</p>\n"
              : "");
  s += "<table>\n<tr>" + th("province / network", true) + th("value") + th("target") + th("verdict", true) +
       "</tr>\n";
  s += "<tr>" + td("PUE", true) + td(io::grouped(number(t, {"pue"}), 3)) +
       td("&le; " + io::grouped(number(limits, {"pue_max"}), 2)) +
       td(badge(text(t, {"targets", "pue"})), true) + "</tr>\n";
  // A minimum of 0 is no target (its verdict is n/a).
  const auto at_least = [](double limit) {
    return limit > 0 ? "&ge; " + io::percent(limit) : std::string("no target");
  };
  s += "<tr>" + td("liquid-cooled share", true) + td(io::percent(number(t, {"liquid_share"}))) +
       td(at_least(number(limits, {"liquid_share_min"}))) +
       td(badge(text(t, {"targets", "liquid_share"})), true) + "</tr>\n";
  s += "<tr>" + td("rack occupancy (installed / built)", true) +
       td(io::percent(number(t, {"rack_occupancy"}))) + td(at_least(number(limits, {"occupancy_min"}))) +
       td(badge(text(t, {"targets", "occupancy"})), true) + "</tr>\n</table>\n";

  const auto& sites = at(r.summary, {"sites"});
  s += std::string(sites.size() > 30 ? "<details>" : "<details open>") + "<summary>Per site (" +
       io::whole(double(sites.size())) + " sites)</summary>\n<div class=\"scroll\"><table>\n<tr>" +
       th("site", true) + th("name", true) + th("kind", true) + th("city", true) + th("racks") +
       th("jobs done") + th("CPU") + th("GPU") + th("IT MWh") + th("PUE") + th("PUE target", true) +
       th("liquid share", true) + th("rack occupancy", true) + th("GB 40879", true) + "</tr>\n";
  for (const auto& site : sites) {
    const std::string name = text(site, {"name"});
    const SiteInfo* info = site_info(r, name);
    const json& tg = at(site, {"targets"});
    const double pue_limit = number(tg, {"pue_limit"}), occ_limit = number(tg, {"occupancy_limit"});
    s += "<tr>" + td(html_escape(name), true) + td(html_escape(info ? info->name_zh : ""), true) +
         td(html_escape(text(site, {"kind"})), true) + td(html_escape(text(site, {"city"})), true) +
         td(io::whole(number(site, {"racks"}))) + td(io::whole(number(site, {"jobs_completed"}))) +
         td(io::percent(number(site, {"cpu_utilization"}))) +
         td(io::percent(number(site, {"gpu_utilization"}))) +
         td(io::grouped(number(site, {"it_energy_j"}) / 3.6e9, 3)) +
         td(io::grouped(number(site, {"pue"}), 3)) +
         td(badge(text(tg, {"pue"})) + (std::isfinite(pue_limit) ? " &le; " + io::grouped(pue_limit, 2) : ""),
            true) +
         td(io::percent(number(site, {"liquid_share"}), 0) + " " + badge(text(tg, {"liquid_share"})), true) +
         td(io::percent(number(site, {"rack_occupancy"})) + " " + badge(text(tg, {"occupancy"})) +
                (std::isfinite(occ_limit) ? " &ge; " + io::percent(occ_limit, 0) : ""),
            true) +
         td(html_escape(grade(at(tg, {"gb40879_grade"}))), true) + "</tr>\n";
  }
  return s +
         "</table></div></details>\n<p class=\"note\">PUE over the run = facility energy / IT energy. GB "
         "40879-2021 grade from the site's PUE (grade 1 best).</p>\n";
}

std::string decisions_table(const RunData& r) {
  if (!r.has_decisions) return "";
  std::string s = "<p class=\"note\">The first " + io::whole(double(r.decision_rows.size())) + " of " +
                  io::whole(double(r.decision_count)) + " rows of <code>" + html_escape(r.decisions_file) +
                  "</code>.</p>\n<div class=\"scroll\"><table>\n<tr>";
  for (const auto& c : r.decision_columns) s += th(c, true);
  s += "</tr>\n";
  for (const auto& row : r.decision_rows) {
    s += "<tr>";
    for (std::size_t i = 0; i < row.size(); ++i) {
      const std::string& column = i < r.decision_columns.size() ? r.decision_columns[i] : "";
      if (column == "candidates") {
        // A ';'-separated list of sites: let it wrap after each separator.
        std::string cell;
        std::size_t start = 0;
        for (;;) {
          const std::size_t end = row[i].find(';', start);
          cell += html_escape(row[i].substr(start, end - start));
          if (end == std::string::npos) break;
          cell += "; ";
          start = end + 1;
        }
        s += "<td class=\"wrap\">" + cell + "</td>";
      } else if (column == "why") {
        s += "<td class=\"wrap\">" + html_escape(row[i]) + "</td>";
      } else {
        s += td(html_escape(row[i]), true);
      }
    }
    s += "</tr>\n";
  }
  return s + "</table></div>\n";
}

std::string figure_html(const Figure& f, std::size_t panel) {
  return "<figure id=\"" + f.id + "\"><h3>" + html_escape(f.title) + "</h3>\n" + f.panels.at(panel) +
         "<p class=\"caption\">" + f.caption + "</p></figure>\n";
}

// ---------------------------------------------------------------------------------------------
// One run.

std::string run_body(const RunData& r) {
  std::string s = "<header><h1>" + html_escape(text(r.summary, {"scenario"})) + "</h1>\n<p class=\"sub\">" +
                  run_subtitle(r) + "</p>\n";
  if (!text(r.scenario, {"description"}).empty())
    s += "<p>" + html_escape(text(r.scenario, {"description"})) + "</p>\n";
  s += "</header>\n<nav><a href=\"#summary\">Summary</a><a href=\"#targets\">Targets</a><a "
       "href=\"#charts\">Charts</a>";
  if (r.has_decisions) s += "<a href=\"#decisions\">Scheduling decisions</a>";
  s += "</nav>\n<h2 id=\"summary\">Summary</h2>\n" + summary_cards(r) + class_table(r);
  s += "<h2 id=\"targets\">Targets</h2>\n" + targets_section(r);
  s += "<h2 id=\"charts\">Charts</h2>\n<div class=\"grid2\">\n";
  for (const auto& f : run_figures({&r})) s += figure_html(f, 0);
  s += "</div>\n";
  if (r.has_decisions) s += "<h2 id=\"decisions\">Scheduling decisions</h2>\n" + decisions_table(r);
  return s;
}

// ---------------------------------------------------------------------------------------------
// Two runs side by side.

/// A row of the comparison table: how to read the value and how to write it.
struct Measure {
  std::string label;
  std::function<double(const RunData&)> value;
  enum Kind { kCount, kFixed, kSig, kPercent } kind = kSig;
  int decimals = 3;
};

std::string format_measure(const Measure& m, double v) {
  switch (m.kind) {
    case Measure::kCount:
      return io::whole(v);
    case Measure::kFixed:
      return io::grouped(v, m.decimals);
    case Measure::kPercent:
      return io::percent(v, m.decimals);
    case Measure::kSig:
      break;
  }
  return io::significant(v, m.decimals);
}

/// B - A, in the measure's unit (percentage points for shares), and relative to A.
std::string format_difference(const Measure& m, double a, double b) {
  if (!std::isfinite(a) || !std::isfinite(b)) return td("-") + td("-");
  const double d = b - a;
  if (d == 0) return td("0") + td(m.kind != Measure::kPercent && a != 0 ? "0 %" : "");
  std::string abs;
  switch (m.kind) {
    case Measure::kCount:
      abs = io::signed_grouped(std::round(d), 0);
      break;
    case Measure::kFixed:
      abs = io::signed_grouped(d, m.decimals);
      break;
    case Measure::kPercent:
      abs = io::signed_grouped(d * 100, m.decimals) + " pp";
      break;
    case Measure::kSig: {
      const double scale = std::max(std::abs(a), std::abs(b));
      const int magnitude = scale > 0 ? static_cast<int>(std::floor(std::log10(scale))) : 0;
      abs = io::signed_grouped(d, std::clamp(m.decimals - 1 - magnitude, 0, 12));
      break;
    }
  }
  const std::string rel =
      m.kind != Measure::kPercent && a != 0 ? io::signed_grouped(d / std::abs(a) * 100, 1) + " %" : "";
  return td(abs) + td(rel);
}

std::vector<Measure> comparison_measures(const RunData& a, const RunData& b) {
  const auto total = [](const char* key, double scale) {
    return [key, scale](const RunData& r) { return number(r.summary, {"totals", key}) * scale; };
  };
  const auto jobs = [](const char* key) {
    return [key](const RunData& r) { return number(r.summary, {"jobs", key}); };
  };
  std::string currency = text(a.summary, {"totals", "currency"});
  std::vector<Measure> m{
      {"jobs submitted", jobs("submitted"), Measure::kCount},
      {"jobs completed", jobs("completed"), Measure::kCount},
      {"jobs rejected", jobs("rejected"), Measure::kCount},
      {"jobs unfinished at the end", jobs("unfinished"), Measure::kCount},
      {"IT energy (MWh)", total("it_energy_j", 1 / 3.6e9), Measure::kSig, 4},
      {"facility energy (MWh)", total("facility_energy_j", 1 / 3.6e9), Measure::kSig, 4},
      {"PUE", total("pue", 1), Measure::kFixed, 3},
      {"CO\u2082 (t)", total("carbon_kg", 1e-3), Measure::kSig, 4},
      {"electricity cost" + (currency.empty() ? "" : " (" + currency + ")"), total("electricity_cost", 1),
       Measure::kSig, 4},
      {"CPU utilization", total("cpu_utilization", 1), Measure::kPercent, 2},
      {"GPU utilization", total("gpu_utilization", 1), Measure::kPercent, 2},
  };
  // Per class, matched by name (A's classes, then B's others).
  std::vector<std::string> classes;
  for (const RunData* r : {&a, &b})
    for (const auto& c : at(r->summary, {"classes"}))
      if (std::find(classes.begin(), classes.end(), text(c, {"name"})) == classes.end())
        classes.push_back(text(c, {"name"}));
  for (const auto& name : classes) {
    const auto field = [name](std::initializer_list<const char*> keys) {
      return [name, keys = std::vector<const char*>(keys)](const RunData& r) {
        for (const auto& c : at(r.summary, {"classes"})) {
          if (text(c, {"name"}) != name) continue;
          const json* v = &c;
          for (const char* k : keys) v = &at(*v, {k});
          return v->is_number() ? v->get<double>() : kNaN;
        }
        return kNaN;
      };
    };
    m.push_back({name + ": wait p50 (s)", field({"wait_s", "p50"}), Measure::kSig, 3});
    m.push_back({name + ": wait p95 (s)", field({"wait_s", "p95"}), Measure::kSig, 3});
    const auto budget = field({"budget_attainment"});
    if (std::isfinite(budget(a)) || std::isfinite(budget(b)))
      m.push_back({name + ": budget met", budget, Measure::kPercent, 2});
  }
  return m;
}

/// The lower end of a confidence interval as shown: every sweep metric (energy, waits, counts, shares,
/// PUE) is non-negative, so a t interval reaching below 0 is cut at 0 (NaN stays NaN).
/// Metrics per part of a sweep's summary table: with the configuration and axis columns, a part fits
/// the page's width.
constexpr std::size_t kMetricsPerTable = 5;

double floor_at_zero(double lo) { return std::isfinite(lo) ? std::max(0.0, lo) : lo; }

std::string comparison_table(const RunData& a, const RunData& b) {
  std::string s =
      "<table>\n<tr>" + th("", true) + th("A") + th("B") + th("B \u2212 A") + th("relative") + "</tr>\n";
  for (const auto& m : comparison_measures(a, b)) {
    const double va = m.value(a), vb = m.value(b);
    s += "<tr>" + td(html_escape(m.label), true) + td(format_measure(m, va)) + td(format_measure(m, vb)) +
         format_difference(m, va, vb) + "</tr>\n";
  }
  return s +
         "</table>\n<p class=\"note\">Shares differ in percentage points (pp); relative = (B \u2212 A) / "
         "A.</p>\n";
}

/// The scenario fields that differ between the runs (JSON Patch from A's scenario.json to B's).
std::string scenario_differences(const RunData& a, const RunData& b) {
  constexpr std::size_t kMaxRows = 50;
  const json patch = json::diff(a.scenario, b.scenario);
  std::string s;
  if (text(a.summary, {"seed"}) != text(b.summary, {"seed"}))
    s += "<p>Seeds differ: A " + html_escape(text(a.summary, {"seed"})) + ", B " +
         html_escape(text(b.summary, {"seed"})) + ".</p>\n";
  if (patch.empty()) return s + "<p>The two runs have the same scenario.json.</p>\n";
  const auto shown = [](const json& doc, const std::string& pointer) -> std::string {
    try {
      const json& v = doc.at(json::json_pointer(pointer));
      return html_escape(svg::truncate_utf8(v.is_string() ? v.get<std::string>() : v.dump(), 120));
    } catch (const json::exception&) {
      return "<span class=\"empty\">absent</span>";
    }
  };
  s += "<div class=\"scroll\"><table>\n<tr>" + th("scenario field (JSON pointer)", true) + th("A", true) +
       th("B", true) + "</tr>\n";
  std::map<std::string, std::size_t> appended;  // per array: elements JSON Patch added at its end ("/-")
  for (std::size_t i = 0; i < patch.size() && i < kMaxRows; ++i) {
    std::string pointer = patch[i].value("path", "");
    if (pointer.size() >= 2 && pointer.compare(pointer.size() - 2, 2, "/-") == 0) {
      // An element B has beyond the end of A's array: name it by its index in B.
      const std::string parent = pointer.substr(0, pointer.size() - 2);
      std::size_t base = 0;
      try {
        base = a.scenario.at(json::json_pointer(parent)).size();
      } catch (const json::exception&) {
      }
      pointer = parent + "/" + std::to_string(base + appended[parent]++);
    }
    s += "<tr>" + td("<code>" + html_escape(pointer) + "</code>", true) +
         td(shown(a.scenario, pointer), true) + td(shown(b.scenario, pointer), true) + "</tr>\n";
  }
  s += "</table></div>\n";
  if (patch.size() > kMaxRows)
    s += "<p class=\"note\">The first " + io::whole(double(kMaxRows)) + " of " +
         io::whole(double(patch.size())) + " differences.</p>\n";
  return s;
}

std::string compare_body(const RunData& a, const RunData& b) {
  std::string s = "<header><h1>" + html_escape(text(a.summary, {"scenario"})) + " (A) vs " +
                  html_escape(text(b.summary, {"scenario"})) +
                  " (B)</h1>\n<p class=\"sub\"><b>A</b>: " + run_subtitle(a) +
                  "<br><b>B</b>: " + run_subtitle(b) + "</p>\n</header>\n";
  s += "<nav><a href=\"#differences\">What differs</a><a href=\"#totals\">Totals</a><a "
       "href=\"#charts\">Charts</a>"
       "<a href=\"#details\">Per class and site</a>";
  if (a.has_decisions || b.has_decisions) s += "<a href=\"#decisions\">Scheduling decisions</a>";
  s += "</nav>\n<h2 id=\"differences\">What differs</h2>\n" + scenario_differences(a, b);
  s += "<h2 id=\"totals\">Totals</h2>\n" + comparison_table(a, b);
  s += "<h2 id=\"charts\">Charts</h2>\n<p class=\"note\">A on the left, B on the right, on the same "
       "scales.</p>\n";
  for (const auto& f : run_figures({&a, &b})) {
    s += "<section id=\"" + f.id + "\"><h3>" + html_escape(f.title) + "</h3>\n<div class=\"grid2\">\n";
    for (std::size_t i = 0; i < f.panels.size(); ++i)
      s += "<figure><p class=\"panel-label\">" + std::string(i == 0 ? "A" : "B") + "</p>\n" + f.panels[i] +
           "</figure>\n";
    s += "</div>\n<p class=\"caption\">" + f.caption + "</p></section>\n";
  }
  s += "<h2 id=\"details\">Per class and site</h2>\n";
  for (const RunData* r : {&a, &b}) {
    const std::string label = r == &a ? "A" : "B";
    s += "<h3>" + label + ": classes</h3>\n" + class_table(*r) + "<h3>" + label + ": targets</h3>\n" +
         targets_section(*r);
  }
  if (a.has_decisions || b.has_decisions) {
    s += "<h2 id=\"decisions\">Scheduling decisions</h2>\n";
    for (const RunData* r : {&a, &b}) {
      s += "<h3>" + std::string(r == &a ? "A" : "B") + "</h3>\n";
      s += r->has_decisions ? decisions_table(*r) : "<p class=\"empty\">No decisions.csv in this run.</p>\n";
    }
  }
  return s;
}

// ---------------------------------------------------------------------------------------------
// A sweep.

struct MetricStyle {
  std::string label;
  double baseline = 0;  ///< where the bars start
  bool share = false;   ///< a fraction, shown as a percentage
};

MetricStyle metric_style(const std::string& name) {
  static const std::map<std::string, MetricStyle> kKnown{
      {"it_energy_mwh", {"IT energy (MWh)"}},
      {"facility_energy_mwh", {"facility energy (MWh)"}},
      {"pue", {"PUE", 1.0}},
      {"carbon_t", {"CO\u2082 (t)"}},
      {"cost", {"electricity cost"}},
      {"water_m3", {"water (m\u00b3)"}},
      {"cpu_utilization", {"CPU utilization", 0, true}},
      {"gpu_utilization", {"GPU utilization", 0, true}},
      {"submitted", {"jobs submitted"}},
      {"completed", {"jobs completed"}},
      {"rejected", {"jobs rejected"}},
      {"unfinished", {"jobs unfinished"}},
      {"mean_wait_s", {"mean wait (s)"}},
      {"p95_wait_s", {"wait p95 (s)"}},
      {"budget_attainment", {"budget attainment (lowest class)", 0, true}},
      {"deadline_attainment", {"deadline attainment (lowest class)", 0, true}},
  };
  const auto it = kKnown.find(name);
  return it != kKnown.end() ? it->second : MetricStyle{name};
}

std::string metric_value(const MetricStyle& style, double v) {
  return style.share ? io::percent(v, 2) : io::significant(v, 4);
}

std::string config_label(const SweepData::Config& c) {
  std::string label;
  for (const auto& l : c.labels) label += (label.empty() ? "" : " \u00b7 ") + l;
  return label.empty() ? "config " + c.id : label;
}

std::string sweep_body(const SweepData& sw) {
  const json& spec = sw.spec;
  std::string s = "<header><h1>Sweep " + html_escape(text(spec, {"name"})) + "</h1>\n<p class=\"sub\">" +
                  io::whole(double(sw.configs.size())) + " configurations &times; " +
                  html_escape(text(spec, {"replications"})) + " replications (seeds from " +
                  html_escape(text(spec, {"seed"})) + ") &middot; scenario <code>" +
                  html_escape(text(spec, {"scenario"})) + "</code> &middot; sweep folder <code>" +
                  html_escape(sw.folder) + "</code></p>\n</header>\n";
  s += "<nav><a href=\"#axes\">Axes</a><a href=\"#table\">Summary table</a><a href=\"#metrics\">Charts</a>"
       "<a href=\"#failed\">Failed runs</a></nav>\n";

  // The axes: each value's label and the scenario edits it stands for.
  s += "<h2 id=\"axes\">Axes</h2>\n";
  const json& axes = at(spec, {"axes"});
  if (!axes.is_array() || axes.empty()) s += "<p class=\"empty\">No axes: one configuration.</p>\n";
  for (const auto& axis : axes) {
    s += "<h3>" + html_escape(text(axis, {"name"})) + "</h3>\n<table>\n<tr>" + th("value", true) +
         th("scenario edits", true) + "</tr>\n";
    for (const auto& v : at(axis, {"values"})) {
      std::string edits;
      const json& set = at(v, {"set"});
      if (set.is_object())
        for (auto it = set.begin(); it != set.end(); ++it)
          edits += (edits.empty() ? "" : "<br>") + std::string("<code>") + html_escape(it.key()) + " = " +
                   html_escape(svg::truncate_utf8(it.value().dump(), 120)) + "</code>";
      s += "<tr>" + td(html_escape(text(v, {"label"})), true) + td(edits, true) + "</tr>\n";
    }
    s += "</table>\n";
  }
  const json& args = at(spec, {"run_arguments"});
  if (args.is_array() && !args.empty()) {
    std::string joined;
    for (const auto& a : args)
      joined += (joined.empty() ? "" : " ") + (a.is_string() ? a.get<std::string>() : a.dump());
    s += "<p>Every run: <code>suanli run " + html_escape(joined) + "</code></p>\n";
  }

  // summary.csv as a table: the mean of each metric, its 95 % CI below.
  s += "<h2 id=\"table\">Summary table</h2>\n<p class=\"note\">From <code>summary.csv</code>: mean over the "
       "successful replications (n) of each configuration; below it, the 95 % confidence interval (Student "
       "t; a bound below 0 is shown as 0: no metric of a sweep can be negative).</p>\n"
       "<p class=\"note\">In parts of at most " +
       std::to_string(kMetricsPerTable) + " metrics, so no table is wider than the page.</p>\n";
  for (std::size_t first = 0; first < sw.metrics.size(); first += kMetricsPerTable) {
    const std::size_t last = std::min(sw.metrics.size(), first + kMetricsPerTable);
    s += "<div class=\"scroll wide\"><table class=\"summary\">\n<tr>" + th("config", true);
    for (const auto& a : sw.axes) s += th(a, true);
    s += th("n");
    for (std::size_t i = first; i < last; ++i) s += th(metric_style(sw.metrics[i]).label);
    s += "</tr>\n";
    for (const auto& c : sw.configs) {
      s += "<tr>" + td(html_escape(c.id), true);
      for (const auto& l : c.labels) s += td(html_escape(l), true);
      s += td(io::whole(c.n));
      for (std::size_t i = first; i < last; ++i) {
        const MetricStyle style = metric_style(sw.metrics[i]);
        const Estimate& e = c.values[i];
        std::string cell = html_escape(metric_value(style, e.mean));
        if (std::isfinite(e.lo) && std::isfinite(e.hi))
          cell += "<br><span class=\"note\">" + html_escape(metric_value(style, floor_at_zero(e.lo))) +
                  " \u2013 " + html_escape(metric_value(style, e.hi)) + "</span>";
        s += td(cell);
      }
      s += "</tr>\n";
    }
    s += "</table></div>\n";
  }

  // A bar chart per metric.
  s += "<h2 id=\"metrics\">Charts</h2>\n<p class=\"note\">Bars: mean per configuration; error bars: 95 % "
       "confidence interval (none with a single replication), never below 0.</p>\n<div class=\"grid2\">\n";
  for (std::size_t i = 0; i < sw.metrics.size(); ++i) {
    const MetricStyle style = metric_style(sw.metrics[i]);
    std::vector<svg::Bar> bars;
    double lo = style.baseline, hi = style.baseline;
    bool any = false;
    for (const auto& c : sw.configs) {
      const Estimate& e = c.values[i];
      bars.push_back({config_label(c), e.mean, floor_at_zero(e.lo), e.hi});
      any = any || std::isfinite(e.mean);
      for (const double v : {e.mean, floor_at_zero(e.lo), e.hi})
        if (std::isfinite(v)) lo = std::min(lo, v), hi = std::max(hi, v);
    }
    s += "<figure id=\"metric-" + std::to_string(i) + "\"><h3>" + html_escape(style.label) + "</h3>\n";
    if (!any) {
      s += "<p class=\"empty\">No value in any configuration.</p></figure>\n";
      continue;
    }
    svg::Frame frame;
    frame.title = style.label;
    frame.y_label = style.label;
    frame.y = svg::nice_axis(lo, hi);
    frame.y_ticks = style.share ? svg::Ticks::kPercent : svg::Ticks::kNumber;
    s += svg::bar_chart(frame, bars, svg::palette(i), style.baseline) + "</figure>\n";
  }
  s += "</div>\n";

  // Failed runs: what runs.csv says, without links.
  s += "<h2 id=\"failed\">Failed runs</h2>\n";
  if (!sw.has_runs_csv) {
    s += "<p class=\"empty\">No runs.csv in the sweep folder.</p>\n";
  } else if (sw.failed.empty()) {
    s += "<p>All " + io::whole(double(sw.runs_listed)) + " runs of runs.csv succeeded.</p>\n";
  } else {
    s += "<p>" + io::whole(double(sw.failed.size())) + " of " + io::whole(double(sw.runs_listed)) +
         " runs did not succeed (their folders are under <code>runs/</code>).</p>\n<div "
         "class=\"scroll\"><table>\n<tr>" +
         th("run", true) + th("config") + th("replication") + th("seed") + th("status", true) +
         th("exit code") + th("error", true) + "</tr>\n";
    for (const auto& f : sw.failed)
      s += "<tr>" + td(html_escape(f.run), true) + td(html_escape(f.config)) +
           td(html_escape(f.replication)) + td(html_escape(f.seed)) + td(html_escape(f.status), true) +
           td(html_escape(f.exit_code)) + "<td class=\"wrap\">" + html_escape(f.error) + "</td></tr>\n";
    s += "</table></div>\n";
  }
  s += "<p class=\"note\">" + io::whole(double(sw.run_folders)) +
       " run folders under <code>runs/</code>.</p>\n";
  return s;
}

}  // namespace

std::string render_report(const std::vector<std::string>& folders) {
  if (folders.empty() || folders.size() > 2) {
    throw model::UserError(folders.empty() ? "report" : folders[2], "",
                           "expected one or two run or sweep folders, got " + std::to_string(folders.size()));
  }
  std::vector<FolderKind> kinds;
  for (const auto& f : folders) kinds.push_back(folder_kind(f));

  if (folders.size() == 2 && kinds[0] == FolderKind::kRun && kinds[1] == FolderKind::kRun) {
    const RunData a = read_run(folders[0]);
    const RunData b = read_run(folders[1]);
    return page(
        "suanli: " + text(a.summary, {"scenario"}) + " (A) vs " + text(b.summary, {"scenario"}) + " (B)",
        compare_body(a, b));
  }
  std::string title, body;
  for (std::size_t i = 0; i < folders.size(); ++i) {
    std::string part;
    if (kinds[i] == FolderKind::kRun) {
      const RunData r = read_run(folders[i]);
      part = run_body(r);
      title += (title.empty() ? "" : " and ") + text(r.summary, {"scenario"});
    } else {
      const SweepData sw = read_sweep(folders[i]);
      part = sweep_body(sw);
      title += (title.empty() ? "" : " and ") + ("sweep " + text(sw.spec, {"name"}));
    }
    // With two folders, each part in its own section (its ids prefixed, so that they stay unique).
    if (folders.size() == 2) {
      const std::string prefix = i == 0 ? "a-" : "b-";
      std::string prefixed;
      for (std::size_t pos = 0;;) {
        const std::size_t id = part.find(" id=\"", pos), href = part.find(" href=\"#", pos);
        const std::size_t next = std::min(id, href);
        if (next == std::string::npos) {
          prefixed += part.substr(pos);
          break;
        }
        const std::size_t value = next + (next == id ? 5 : 8);
        prefixed += part.substr(pos, value - pos) + prefix;
        pos = value;
      }
      part = "<section class=\"folder\"><p class=\"panel-label\">" + std::string(i == 0 ? "A" : "B") +
             "</p>\n" + prefixed + "</section>\n";
    }
    body += part;
  }
  return page("suanli: " + title, body);
}

void write_report(const std::vector<std::string>& folders, const std::string& output_html) {
  const std::string html = render_report(folders);
  io::OutputFile out(output_html, false);
  out.write(html);
  out.commit();
}

}  // namespace suanli::report
