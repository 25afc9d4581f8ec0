// Capacity headroom: the rack rule (stranded capacity, binding resource), site/city/province figures
// from the nameplate and from a run's timeseries, and the CSV / JSON / terminal outputs.
#include <gtest/gtest.h>

#include <cmath>
#include <functional>
#include <sstream>
#include <string>

#include "TestFiles.hpp"
#include "TestScenarios.hpp"
#include "capacity/Headroom.hpp"
#include "capacity/WhatIf.hpp"
#include "io/LineReader.hpp"
#include "load/Load.hpp"
#include "model/Error.hpp"
#include "model/ScenarioReader.hpp"
#include "model/Summary.hpp"

namespace capacity = suanli::capacity;
namespace model = suanli::model;
namespace test = suanli::test;

namespace {

struct Rows {
  capacity::ResourceHeadroom space, it_power, cooling;
};

/// Hand-built rows: racks built/committed; IT kW built/committed (cooling the same as IT).
Rows rows(double racks, double racks_committed, double it_kw, double it_committed_kw) {
  Rows r;
  r.space = {"space", "racks", racks, racks_committed, std::nullopt, std::nullopt, 0, racks - racks_committed,
             false,   ""};
  r.it_power = {
      "it_power", "kW", it_kw, it_committed_kw, std::nullopt, std::nullopt, 0, it_kw - it_committed_kw,
      false,      ""};
  r.cooling = r.it_power;
  r.cooling.resource = "cooling";
  return r;
}

/// Sites a1 (A, 200 racks, 10 x 250 W = 1 rack), a2 (A, 3000 racks, 0.9 rack), b1 (B, edge, 10 racks,
/// 0.8 rack); city C has no site.
const model::Scenario& mini() {
  static const auto s = test::scenario_from(test::minimal_doc());
  return s;
}

/// A run folder holding `content` as timeseries.csv (or .csv.gz).
std::string run_folder(const std::string& name, const std::string& content, bool gzip = false) {
  const auto dir = test::temp_dir(name);
  if (gzip) {
    test::write_gzip(name + "/timeseries.csv.gz", content);
  } else {
    test::write_temp(name + "/timeseries.csv", content);
  }
  return dir;
}

/// 20 instants (300 s apart): a1 draws j kW and uses j/20 of its cores, a2 draws 21 - j kW, b1 0.5 kW.
std::string two_peaks_timeseries() {
  std::string text = "time_s,site,cpu_utilization,gpu_utilization,running,it_power_w,pue\n";
  for (int j = 1; j <= 20; ++j) {
    const std::string t = std::to_string(300 * j);
    text += t + ",a1," + std::to_string(j / 20.0) + ",0,1," + std::to_string(1000 * j) + ",1.3\n";
    text += t + ",a2,0.5,0,1," + std::to_string(1000 * (21 - j)) + ",1.3\n";
    text += t + ",b1,0,0,0,500,\n";
  }
  return text;
}

/// A single-instant run: a1 draws `a1_w`, the others 100 W.
std::string one_instant_timeseries(double a1_w) {
  return "time_s,site,cpu_utilization,gpu_utilization,it_power_w\n300,a1,1,0," + std::to_string(a1_w) +
         "\n300,a2,0.1,0,100\n300,b1,0.1,0,100\n";
}

std::string what_of(const std::function<void()>& f) {
  try {
    f();
  } catch (const model::UserError& e) {
    return std::string(e.what()) + " @" + e.location();
  }
  return "no UserError";
}

}  // namespace

// ---------------------------------------------------------------------------------------------
// The rack rule on hand-built rows.

TEST(CapacityRule, PowerBoundStrandsFreeRacks) {
  // 90 free racks, but the installed servers already take 249 of the 250 kW.
  auto r = rows(100, 10, 250, 249);
  EXPECT_EQ(capacity::apply_rack_rule(r.space, r.it_power, r.cooling), 0);
  EXPECT_DOUBLE_EQ(r.space.stranded, 90);
  EXPECT_DOUBLE_EQ(r.it_power.stranded, 1);
  EXPECT_DOUBLE_EQ(r.cooling.stranded, 1);
  EXPECT_FALSE(r.space.binding);
  EXPECT_TRUE(r.it_power.binding);
  EXPECT_TRUE(r.cooling.binding);
}

TEST(CapacityRule, SpaceBoundStrandsPowerAndCooling) {
  auto r = rows(100, 100, 250, 200);
  EXPECT_EQ(capacity::apply_rack_rule(r.space, r.it_power, r.cooling), 0);
  EXPECT_DOUBLE_EQ(r.space.stranded, 0);
  EXPECT_DOUBLE_EQ(r.it_power.stranded, 50);
  EXPECT_DOUBLE_EQ(r.cooling.stranded, 50);
  EXPECT_TRUE(r.space.binding);
  EXPECT_FALSE(r.it_power.binding);
  EXPECT_FALSE(r.cooling.binding);
}

TEST(CapacityRule, BalancedStrandsOnlyTheFraction) {
  // 40.4 racks free and 101 kW = 40.4 racks of power: 40 racks fit, 0.4 rack (1 kW) is left over.
  auto r = rows(100, 59.6, 250, 149);
  EXPECT_EQ(capacity::apply_rack_rule(r.space, r.it_power, r.cooling), 40);
  EXPECT_NEAR(r.space.stranded, 0.4, 1e-9);
  EXPECT_NEAR(r.it_power.stranded, 1.0, 1e-9);
  EXPECT_TRUE(r.space.binding && r.it_power.binding && r.cooling.binding);

  auto whole = rows(100, 60, 250, 150);  // exactly 40 racks of each
  EXPECT_EQ(capacity::apply_rack_rule(whole.space, whole.it_power, whole.cooling), 40);
  EXPECT_EQ(whole.space.stranded, 0);
  EXPECT_EQ(whole.it_power.stranded, 0);
  EXPECT_TRUE(whole.space.binding && whole.it_power.binding && whole.cooling.binding);
}

TEST(CapacityRule, PartlyStrandedAndOverdrawn) {
  auto r = rows(100, 10, 250, 150);  // 90 racks free, 100 kW = 40 racks
  EXPECT_EQ(capacity::apply_rack_rule(r.space, r.it_power, r.cooling), 40);
  EXPECT_DOUBLE_EQ(r.space.stranded, 50);
  EXPECT_DOUBLE_EQ(r.it_power.stranded, 0);
  EXPECT_FALSE(r.space.binding);
  EXPECT_TRUE(r.it_power.binding);

  // Nothing fits; IT power is overdrawn (negative remaining), so it is the one exhausted first.
  auto over = rows(100, 100, 250, 260);
  EXPECT_EQ(capacity::apply_rack_rule(over.space, over.it_power, over.cooling), 0);
  EXPECT_TRUE(over.it_power.binding);
  EXPECT_FALSE(over.space.binding);
  EXPECT_EQ(over.it_power.stranded, 0);
  EXPECT_EQ(over.space.stranded, 0);
}

// ---------------------------------------------------------------------------------------------
// Scenario figures.

TEST(CapacityHeadroom, NameplateIsBalanced) {
  const auto report = capacity::compute_headroom(mini());
  ASSERT_EQ(report.sites.size(), 3u);
  const auto& a1 = report.sites[0];
  EXPECT_EQ(a1.name, "a1");
  EXPECT_EQ(a1.city, "A");
  EXPECT_EQ(a1.kind, "core_cluster");
  const auto& space = a1.at("space");
  EXPECT_EQ(space.unit, "racks");
  EXPECT_DOUBLE_EQ(space.built, 200);
  EXPECT_DOUBLE_EQ(*space.committed, 1);  // 10 x 250 W / 2.5 kW
  EXPECT_DOUBLE_EQ(space.remaining, 199);
  EXPECT_FALSE(space.used_peak);
  const auto& it = a1.at("it_power");
  EXPECT_DOUBLE_EQ(it.built, 500);
  EXPECT_DOUBLE_EQ(*it.committed, 2.5);
  EXPECT_DOUBLE_EQ(it.remaining, 497.5);
  EXPECT_FALSE(it.used_peak);
  EXPECT_DOUBLE_EQ(a1.at("cooling").built, 500);
  EXPECT_NE(a1.at("cooling").note.find("assumed sized for the rated IT power"), std::string::npos);
  // A rack is 2.5 kW, so from the nameplate space and power allow the same racks: balanced.
  EXPECT_EQ(a1.racks_addable, 199);
  for (const char* r : {"space", "it_power", "cooling"}) {
    EXPECT_TRUE(a1.at(r).binding) << r;
    EXPECT_EQ(a1.at(r).stranded, 0) << r;
  }
  EXPECT_DOUBLE_EQ(a1.at("cpu_cores").built, 100);
  EXPECT_DOUBLE_EQ(a1.at("cpu_cores").remaining, 100);  // no run: usage unknown
  EXPECT_FALSE(a1.at("cpu_cores").used_peak);
  EXPECT_DOUBLE_EQ(a1.at("gpus").built, 0);
  EXPECT_DOUBLE_EQ(a1.at("uplink").built, 400);  // 4e11 b/s
  EXPECT_FALSE(a1.at("uplink").committed);
  EXPECT_DOUBLE_EQ(a1.at("uplink").remaining, 400);
  EXPECT_FALSE(a1.at("uplink").binding);

  // b1: 10 racks, 0.8 committed: 9 racks fit, 0.2 rack (0.5 kW) is left over.
  const auto& b1 = report.sites[2];
  EXPECT_EQ(b1.racks_addable, 9);
  EXPECT_NEAR(b1.at("space").stranded, 0.2, 1e-9);
  EXPECT_NEAR(b1.at("it_power").stranded, 0.5, 1e-9);

  // City A = a1 + a2; city C has no site; the province matches model::scenario_figures.
  ASSERT_EQ(report.cities.size(), 3u);
  EXPECT_EQ(report.cities[0].sites, 2u);
  EXPECT_DOUBLE_EQ(report.cities[0].at("space").built, 3200);
  EXPECT_EQ(report.cities[0].racks_addable, 199 + 2999);
  EXPECT_EQ(report.cities[2].sites, 0u);
  EXPECT_EQ(report.cities[2].racks_addable, 0);
  const auto figures = model::scenario_figures(mini());
  const auto& p = report.province;
  EXPECT_EQ(p.level, capacity::Level::kProvince);
  EXPECT_EQ(p.racks_addable, 199 + 2999 + 9);
  EXPECT_DOUBLE_EQ(p.at("space").built, static_cast<double>(figures.racks));
  EXPECT_NEAR(*p.at("space").committed, figures.occupied_racks, 1e-9);
  EXPECT_NEAR(*p.at("it_power").committed, figures.it_power_max_w / 1000, 1e-9);
  EXPECT_EQ(p.binding_sites, (std::array<std::size_t, 3>{3, 3, 3}));
  EXPECT_TRUE(p.at("space").binding && p.at("it_power").binding);
  EXPECT_FALSE(p.at("uplink").committed);
}

TEST(CapacityHeadroom, RunAtRatedPowerStrandsFreeRacks) {
  // a1 (500 kW rated, 199 racks free) drew 499 kW: less than one rack of power is left.
  const auto dir = run_folder("cap-rated", one_instant_timeseries(499000));
  const auto usage = capacity::read_run_usage(dir, mini());
  const auto report = capacity::compute_headroom(mini(), &usage);
  const auto& a1 = report.sites[0];
  EXPECT_EQ(a1.racks_addable, 0);
  EXPECT_DOUBLE_EQ(a1.at("space").remaining, 199);
  EXPECT_DOUBLE_EQ(a1.at("space").stranded, 199);
  EXPECT_FALSE(a1.at("space").binding);
  EXPECT_TRUE(a1.at("it_power").binding);
  EXPECT_TRUE(a1.at("cooling").binding);
  EXPECT_NEAR(a1.at("it_power").remaining, 1, 1e-9);
  EXPECT_NEAR(a1.at("it_power").stranded, 1, 1e-9);
  EXPECT_NE(a1.at("space").note.find("stranded"), std::string::npos);
  // The province: a1's racks stranded, it_power binds at a1 only (a2 and b1 are balanced).
  EXPECT_NEAR(report.province.at("space").stranded, 199 + 0.1 + 0.2, 1e-9);
  EXPECT_EQ(report.province.binding_sites, (std::array<std::size_t, 3>{2, 3, 3}));
  EXPECT_FALSE(report.province.at("space").binding);
  EXPECT_TRUE(report.province.at("it_power").binding);
}

TEST(CapacityHeadroom, RunHotterThanNameplateTakesOver) {
  // a1's nameplate is 2.5 kW; the run peaks at 100 kW: 400 kW left = 160 racks, 39 free racks stranded.
  const auto dir = run_folder("cap-hot", one_instant_timeseries(100000));
  const auto usage = capacity::read_run_usage(dir, mini());
  const auto report = capacity::compute_headroom(mini(), &usage);
  const auto& it = report.sites[0].at("it_power");
  EXPECT_DOUBLE_EQ(*it.committed, 2.5);
  EXPECT_DOUBLE_EQ(*it.used_peak, 100);
  EXPECT_DOUBLE_EQ(*it.used_p95, 100);
  EXPECT_DOUBLE_EQ(it.remaining, 400);
  EXPECT_TRUE(it.binding);
  EXPECT_NE(it.note.find("exceeds the nameplate"), std::string::npos);
  EXPECT_EQ(report.sites[0].racks_addable, 160);
  EXPECT_DOUBLE_EQ(report.sites[0].at("space").stranded, 39);
  EXPECT_FALSE(report.sites[0].at("space").binding);
  // a2's run peak (0.1 kW) is under its nameplate (2.25 kW): the nameplate stays.
  EXPECT_DOUBLE_EQ(report.sites[1].at("it_power").remaining, 7500 - 2.25);
}

// ---------------------------------------------------------------------------------------------
// Reading a run.

TEST(CapacityRun, PeakAndP95FromPlainAndGzip) {
  const auto text = two_peaks_timeseries();
  for (const bool gzip : {false, true}) {
    SCOPED_TRACE(gzip ? "gzip" : "plain");
    const auto dir = run_folder(gzip ? "cap-peaks-gz" : "cap-peaks", text, gzip);
    const auto usage = capacity::read_run_usage(dir, mini());
    EXPECT_EQ(usage.rows, 60u);
    EXPECT_NE(usage.file.find(gzip ? "timeseries.csv.gz" : "timeseries.csv"), std::string::npos);
    const auto report = capacity::compute_headroom(mini(), &usage);
    EXPECT_EQ(report.run_rows, 60u);
    const auto& a1 = report.sites[0];
    EXPECT_DOUBLE_EQ(*a1.at("it_power").used_peak, 20);  // kW
    EXPECT_DOUBLE_EQ(*a1.at("it_power").used_p95, 19);   // nearest rank: 19th of 20
    EXPECT_DOUBLE_EQ(*a1.at("cooling").used_peak, 20);
    EXPECT_DOUBLE_EQ(*a1.at("cpu_cores").used_peak, 100);
    EXPECT_DOUBLE_EQ(*a1.at("cpu_cores").used_p95, 95);
    EXPECT_DOUBLE_EQ(a1.at("cpu_cores").remaining, 0);
    EXPECT_DOUBLE_EQ(*a1.at("gpus").used_peak, 0);
    EXPECT_DOUBLE_EQ(a1.at("it_power").remaining, 480);  // the run peak (20 kW) is above the nameplate
    EXPECT_DOUBLE_EQ(report.sites[1].at("cpu_cores").remaining, 45);  // 90 cores, half busy
    EXPECT_DOUBLE_EQ(*report.sites[2].at("it_power").used_peak, 0.5);
    EXPECT_FALSE(a1.at("space").used_peak);
    EXPECT_FALSE(a1.at("uplink").used_peak);

    // a1 and a2 peak at opposite ends: the coincident province peak is 21.5 kW, not 40.5.
    const auto& p = report.province.at("it_power");
    EXPECT_DOUBLE_EQ(*p.used_peak, 21.5);
    EXPECT_DOUBLE_EQ(*p.used_p95, 21.5);
    EXPECT_NE(p.note.find("sum of the site peaks 40.500 kW"), std::string::npos) << p.note;
    EXPECT_DOUBLE_EQ(*report.cities[0].at("it_power").used_peak, 21);
    EXPECT_FALSE(report.cities[2].at("it_power").used_peak);  // city C: no site
    // Totals of remaining are sums of the sites', not built minus the coincident peak.
    double remaining = 0;
    for (const auto& s : report.sites) remaining += s.at("it_power").remaining;
    EXPECT_DOUBLE_EQ(report.province.at("it_power").remaining, remaining);
  }
}

TEST(CapacityRun, MalformedRowNamesItsLine) {
  auto text = two_peaks_timeseries();
  const auto second = text.find('\n', text.find('\n') + 1);  // end of line 2
  text.insert(second + 1, "600,a1,0.5,0,1,lots,1.3\n");      // line 3
  const auto dir = run_folder("cap-bad-number", text);
  const auto message = what_of([&] { capacity::read_run_usage(dir, mini()); });
  EXPECT_NE(message.find("timeseries.csv: line 3:"), std::string::npos) << message;
  EXPECT_NE(message.find("it_power_w"), std::string::npos) << message;

  const auto bad_util = run_folder("cap-bad-util",
                                   "time_s,site,cpu_utilization,gpu_utilization,it_power_w\n"
                                   "300,a1,1.5,0,10\n");
  const auto util = what_of([&] { capacity::read_run_usage(bad_util, mini()); });
  EXPECT_NE(util.find("line 2"), std::string::npos) << util;
  EXPECT_NE(util.find("utilization in [0, 1]"), std::string::npos) << util;

  const auto repeated = run_folder("cap-repeated", one_instant_timeseries(10) + "300,a1,1,0,10\n");
  EXPECT_NE(what_of([&] { capacity::read_run_usage(repeated, mini()); }).find("line 5"), std::string::npos);
}

TEST(CapacityRun, UnknownOrMissingSiteIsAnError) {
  const auto dir = run_folder("cap-unknown", one_instant_timeseries(10) + "300,elsewhere-7,0,0,10\n");
  const auto message = what_of([&] { capacity::read_run_usage(dir, mini()); });
  EXPECT_NE(message.find("line 5"), std::string::npos) << message;
  EXPECT_NE(message.find("\"elsewhere-7\" is not in scenario mini"), std::string::npos) << message;

  const auto missing = run_folder("cap-missing-site",
                                  "time_s,site,cpu_utilization,gpu_utilization,it_power_w\n"
                                  "300,a1,0,0,10\n300,a2,0,0,10\n");
  EXPECT_NE(what_of([&] { capacity::read_run_usage(missing, mini()); }).find("no samples of site \"b1\""),
            std::string::npos);
  const auto empty = run_folder("cap-empty", "time_s,site,cpu_utilization,gpu_utilization,it_power_w\n");
  EXPECT_NE(what_of([&] { capacity::read_run_usage(empty, mini()); }).find("no samples"), std::string::npos);
  const auto no_column = run_folder("cap-no-column", "time_s,site,cpu_utilization,gpu_utilization\n");
  EXPECT_NE(
      what_of([&] { capacity::read_run_usage(no_column, mini()); }).find("missing column \"it_power_w\""),
      std::string::npos);
  const auto no_file = test::temp_dir("cap-no-file");
  EXPECT_NE(what_of([&] { capacity::read_run_usage(no_file, mini()); }).find("missing: a run folder holds"),
            std::string::npos);
  EXPECT_NE(what_of([&] { capacity::read_run_usage(no_file + "/nope", mini()); }).find("no such folder"),
            std::string::npos);
}

// ---------------------------------------------------------------------------------------------
// Outputs.

TEST(CapacityOutput, CsvWithBomEscapesNames) {
  auto doc = test::minimal_doc();
  doc["sites"][0]["name"] = "gulou, 鼓楼-1";
  doc["sites"][0]["name_zh"] = "鼓楼区\"边缘\"数据中心";
  doc["cities"][0]["name_zh"] = "福州";
  const auto s = test::scenario_from(doc);
  const auto report = capacity::compute_headroom(s);

  const auto csv = capacity::headroom_csv(report, true);
  ASSERT_GE(csv.size(), 3u);
  EXPECT_EQ(csv.substr(0, 3), "\xEF\xBB\xBF");
  const std::string header =
      "level,name,name_zh,city,resource,unit,built,committed,used_peak,used_p95,stranded,remaining,binding,"
      "note\n";
  EXPECT_EQ(csv.substr(3, header.size()), header);
  EXPECT_NE(
      csv.find("\nsite,\"gulou, 鼓楼-1\",\"鼓楼区\"\"边缘\"\"数据中心\",A,space,racks,200.000,1.000,,,0.000,"
               "199.000,1,"),
      std::string::npos);
  EXPECT_NE(csv.find("\ncity,A,福州,A,uplink,Gb/s,"), std::string::npos);
  EXPECT_NE(csv.find("\nprovince,mini,,,it_power,kW,8025.000,"), std::string::npos);  // 3,210 racks x 2.5 kW

  const auto plain = capacity::headroom_csv(report, false);
  EXPECT_EQ(plain.substr(0, header.size()), header);
  EXPECT_EQ(csv.substr(3), plain);

  // It reads back: 1 province + 3 cities + 3 sites, 6 resources each, 14 columns; the BOM is dropped.
  const auto path = test::write_temp("cap-headroom.csv", csv);
  suanli::io::CsvReader reader(path, {"level", "name", "name_zh", "resource", "note"});
  std::size_t rows = 0;
  bool found = false;
  while (const auto* row = reader.next()) {
    ++rows;
    EXPECT_EQ(row->size(), 14u);
    if ((*row)[0] == "site" && (*row)[1] == "gulou, 鼓楼-1") found = (*row)[2] == "鼓楼区\"边缘\"数据中心";
  }
  EXPECT_EQ(rows, 7u * 6u);
  EXPECT_TRUE(found);
  EXPECT_EQ(capacity::headroom_csv(report, true), csv);  // deterministic
}

TEST(CapacityOutput, JsonAndTerminalTable) {
  const auto report = capacity::compute_headroom(mini());
  const auto j = capacity::headroom_json(report);
  EXPECT_EQ(j["scenario"], "mini");
  EXPECT_TRUE(j["run"].is_null());
  EXPECT_EQ(j["sites"].size(), 3u);
  EXPECT_EQ(j["cities"].size(), 3u);
  EXPECT_EQ(j["province"]["level"], "province");
  EXPECT_EQ(j["province"]["racks_addable"], 199 + 2999 + 9);
  EXPECT_TRUE(j["province"]["resources"]["it_power"]["used_peak"].is_null());
  EXPECT_TRUE(j["sites"][0]["resources"]["uplink"]["committed"].is_null());
  EXPECT_EQ(j["sites"][0]["resources"]["space"]["remaining"], 199.0);
  EXPECT_EQ(j["sites"][2]["kind"], "edge_dc");

  std::ostringstream table;
  capacity::print_headroom(table, report, false);
  const auto text = table.str();
  EXPECT_NE(text.find("Capacity headroom of mini"), std::string::npos);
  EXPECT_NE(text.find("1 edge DC "), std::string::npos) << text;  // b1 collapsed
  EXPECT_EQ(text.find("  b1 "), std::string::npos) << text;
  EXPECT_NE(text.find("balanced"), std::string::npos);
  EXPECT_NE(text.find("province mini"), std::string::npos);
  EXPECT_NE(text.find("3,207 standard racks can still be added"), std::string::npos) << text;

  std::ostringstream verbose;
  capacity::print_headroom(verbose, report, true);
  EXPECT_NE(verbose.str().find("  b1 "), std::string::npos) << verbose.str();
}

TEST(CapacityWhatIf, MoreRacksAndLiquidCoolingShowAsDifferences) {
  const auto base =
      suanli::load::load_scenario(suanli::test::source_dir() + "/scenarios/teaching.json", {}).scenario;
  auto changed = base;
  changed.sites[0].racks += 100;
  changed.sites[0].cooling.liquid_share = 0.9;
  changed.sites[0].cooling.air_share = 0.1;
  const auto rows = suanli::capacity::what_if(base, changed, 0.6);
  const auto row = [&](const std::string& figure) {
    for (const auto& r : rows)
      if (r.figure == figure) return r;
    ADD_FAILURE() << "no row " << figure;
    return suanli::capacity::WhatIfRow{};
  };
  EXPECT_DOUBLE_EQ(row("standard racks built").changed - row("standard racks built").baseline, 100);
  EXPECT_DOUBLE_EQ(
      row("racks that can still be added").changed - row("racks that can still be added").baseline, 100);
  EXPECT_DOUBLE_EQ(row("rated IT power").changed - row("rated IT power").baseline, 100 * 2.5e3 / 1e6);
  EXPECT_DOUBLE_EQ(row("racks occupied").changed, row("racks occupied").baseline);
  EXPECT_GT(row("liquid-cooled share").changed, row("liquid-cooled share").baseline);
  EXPECT_LT(row("annual PUE").changed, row("annual PUE").baseline);  // more liquid: less cooling power per W
  EXPECT_EQ(row("sites within their city's latency budget").changed,
            row("sites within their city's latency budget").baseline);
  // Identical scenarios: no difference anywhere.
  for (const auto& r : suanli::capacity::what_if(base, base, 0.6)) {
    if (std::isfinite(r.baseline)) {
      EXPECT_EQ(r.baseline, r.changed) << r.figure;
    }
  }
  const auto csv = suanli::capacity::what_if_csv(rows, true);
  EXPECT_EQ(csv.rfind("\xEF\xBB\xBF"
                      "figure,unit,baseline,what_if,difference\n",
                      0),
            0u);
  EXPECT_NE(csv.find("standard racks built,racks,"), std::string::npos);
}

TEST(CapacityFailures, SiteAndLinkOutageShowWhatRemains) {
  const auto base =
      suanli::load::load_scenario(suanli::test::source_dir() + "/scenarios/teaching.json", {}).scenario;
  const auto row = [](const std::vector<suanli::capacity::WhatIfRow>& rows, const std::string& figure) {
    for (const auto& r : rows)
      if (r.figure == figure) return r;
    ADD_FAILURE() << "no row " << figure;
    return suanli::capacity::WhatIfRow{};
  };
  // A site out: its racks and servers are gone, the others stay.
  const auto& gone = base.sites[1];
  const auto no_site = suanli::capacity::with_failures(base, {"site:" + gone.name});
  ASSERT_EQ(no_site.sites.size(), base.sites.size() - 1);
  const auto rows = suanli::capacity::what_if(base, no_site, 0.6);
  EXPECT_DOUBLE_EQ(row(rows, "standard racks built").baseline - row(rows, "standard racks built").changed,
                   static_cast<double>(gone.racks));
  EXPECT_EQ(row(rows, "sites").changed, row(rows, "sites").baseline - 1);
  // The teaching cities form a ring: one link out keeps the central pair within 5 ms, two cut Fuzhou off.
  const auto one =
      suanli::capacity::what_if(base, suanli::capacity::with_failures(base, {"link:fuzhou,xiamen"}), 0.6);
  EXPECT_EQ(row(one, "central-city pairs within budget").changed, 1);
  const auto two = suanli::capacity::what_if(
      base, suanli::capacity::with_failures(base, {"link:xiamen,fuzhou", "link:fuzhou,putian"}), 0.6);
  EXPECT_EQ(row(two, "central-city pairs within budget").changed, 0);
  for (const std::string bad : {"site:nowhere", "link:fuzhou,nowhere", "link:fuzhou", "cooling:1", "fuzhou"})
    EXPECT_THROW(suanli::capacity::with_failures(base, {bad}), suanli::model::UserError) << bad;
}
