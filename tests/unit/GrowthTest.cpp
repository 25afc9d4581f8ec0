// Growth and exhaustion dates (capacity/Growth), plants with redundant units, and the scenario
// fields growth, costs and outages. The fast path is validated against full simulations in
// tests/growth/growth_test.py; these tests check its arithmetic on the teaching-growth scenario.
#include <gtest/gtest.h>

#include <cmath>
#include <string>

#include "TestScenarios.hpp"
#include "capacity/Growth.hpp"
#include "capacity/Headroom.hpp"
#include "capacity/WhatIf.hpp"
#include "energy/AnnualPue.hpp"
#include "energy/Conditions.hpp"
#include "load/Load.hpp"
#include "model/Error.hpp"
#include "model/ScenarioReader.hpp"

namespace capacity = suanli::capacity;
namespace model = suanli::model;

namespace {

using suanli::test::teaching_growth;

capacity::GrowthReport growth_of(const model::Scenario& s) {
  const suanli::energy::SiteWeather weather(s);
  const suanli::energy::GridCarbon carbon(s);
  return capacity::compute_growth(s, weather, carbon);
}

const capacity::GrowthEntity& site(const capacity::GrowthReport& r, const std::string& name) {
  for (const auto& e : r.sites)
    if (e.name == name) return e;
  throw std::runtime_error("no site " + name);
}

std::size_t limit(capacity::GrowthLimit x) { return static_cast<std::size_t>(x); }

/// The first month m in [0, horizon] with load0 x (1 + g)^(m / 12) > threshold x capacity.
std::optional<std::int64_t> first_month(double load0, double capacity, double g, double threshold,
                                        std::int64_t horizon) {
  for (std::int64_t m = 0; m <= horizon; ++m)
    if (load0 * std::pow(1 + g, static_cast<double>(m) / 12.0) > threshold * capacity) return m;
  return std::nullopt;
}

}  // namespace

TEST(GrowthErlangC, KnownValues) {
  // M/M/2 with a = 1: P(wait) = 1/3; P(wait <= t) = 1 - (1/3) exp(-(c - a) t / s).
  EXPECT_NEAR(capacity::erlang_c_wait_within(2, 1, 1, 0), 2.0 / 3.0, 1e-12);
  EXPECT_NEAR(capacity::erlang_c_wait_within(2, 1, 1, 1), 1 - std::exp(-1.0) / 3, 1e-12);
  // M/M/1 with rho = 0.5: P(wait) = rho.
  EXPECT_NEAR(capacity::erlang_c_wait_within(1, 0.5, 2, 0), 0.5, 1e-12);
  EXPECT_EQ(capacity::erlang_c_wait_within(4, 4, 1, 10), 0.0);     // saturated
  EXPECT_EQ(capacity::erlang_c_wait_within(4, 0, 1, 0), 1.0);      // no load
  EXPECT_EQ(capacity::erlang_c_wait_within(4, 2, 1, -1e-3), 0.0);  // the round trip alone is over budget
  EXPECT_NEAR(capacity::erlang_c_wait_within(40000, 20000, 0.005, 0), 1.0, 1e-12);  // large c, half load
}

TEST(GrowthMonths, LabelsCrossYears) {
  EXPECT_EQ(capacity::month_label("2025-01", 0), "2025-01");
  EXPECT_EQ(capacity::month_label("2025-01", 11), "2025-12");
  EXPECT_EQ(capacity::month_label("2025-11", 2), "2026-01");
  EXPECT_EQ(capacity::month_label("2025-03", 60), "2030-03");
}

TEST(GrowthFastPath, OfferedLoadSplitAndExhaustionMonths) {
  const auto s = teaching_growth();
  const auto r = growth_of(s);
  const auto& fz = site(r, "fuzhou-core-dc");
  const auto& xm = site(r, "xiamen-gpu-center");
  // Inference: 0.48 jobs/s x 120 s x 1 GPU = 57.6 GPUs busy, spread 64 : 128 by GPUs installed.
  const double gpus = fz.months[0].gpu_load + xm.months[0].gpu_load;
  EXPECT_NEAR(gpus, 57.6, 0.03 * 57.6);
  EXPECT_NEAR(fz.months[0].gpu_load / xm.months[0].gpu_load, 64.0 / 128.0, 1e-9);
  // Batch: 0.14 jobs/s x 1800 s x 64 cores = 16,128 cores busy over the CPU-only cores of both.
  const double cores = fz.months[0].core_load + xm.months[0].core_load;
  EXPECT_NEAR(cores, 16128, 0.05 * 16128);
  EXPECT_NEAR(fz.months[0].cores, 656 * 64, 1e-9);
  EXPECT_NEAR(xm.months[0].cores, 73 * 64, 1e-9);
  // +40 % a year on every class: the first month over 85 %.
  for (const auto* e : {&fz, &xm}) {
    EXPECT_EQ(e->first[limit(capacity::GrowthLimit::kGpus)],
              first_month(e->months[0].gpu_load, e->months[0].gpus, 0.4, 0.85, 60))
        << e->name;
    EXPECT_EQ(e->first[limit(capacity::GrowthLimit::kCpuCores)],
              first_month(e->months[0].core_load, e->months[0].cores, 0.4, 0.85, 60))
        << e->name;
    // Month m's load is month 0's grown.
    EXPECT_NEAR(e->months[24].gpu_load, e->months[0].gpu_load * 1.96, 1e-9 * e->months[0].gpu_load);
  }
  // Servers are added only once compute has run out, so racks run out later, when the racks needed
  // exceed the racks built.
  const auto space = fz.first[limit(capacity::GrowthLimit::kSpace)];
  ASSERT_TRUE(space);
  EXPECT_GT(*space, *fz.first[limit(capacity::GrowthLimit::kCpuCores)]);
  const auto& at = fz.months[static_cast<std::size_t>(*space)];
  EXPECT_GT(at.racks_needed, at.racks_built);
  EXPECT_LE(fz.months[static_cast<std::size_t>(*space) - 1].racks_needed, at.racks_built);
  // Before compute runs out, the racks needed are the installed servers'.
  EXPECT_NEAR(fz.months[0].racks_needed, (656 * 400.0 + 8 * 10200.0) / 2500.0, 1e-9);
  // The province: both sites' pools are shared by the classes, so it runs out with them.
  EXPECT_EQ(r.province.first[limit(capacity::GrowthLimit::kGpus)],
            fz.first[limit(capacity::GrowthLimit::kGpus)]);
  // Energy: more load, more IT energy; annual PUE of the month's load falls as load rises.
  EXPECT_GT(r.province.months[36].it_kwh / 31, r.province.months[0].it_kwh / 31);
  EXPECT_LT(fz.months[30].annual_pue, fz.months[0].annual_pue);
}

TEST(GrowthFastPath, AdditionsAndOpeningsChangeCapacityOnTheirMonth) {
  auto s = teaching_growth(
      {{"/growth/additions", nlohmann::json::parse(R"([{"month": 12, "site": "fuzhou-core-dc", "racks": 40,
                                                        "nodes": [{"type": "gpu-ai-8x", "count": 8}]},
                                                       {"month": 24, "site": "edge-putian-chengxiang", "opens": true}])")}});
  const auto r = growth_of(s);
  const auto& fz = site(r, "fuzhou-core-dc");
  EXPECT_DOUBLE_EQ(fz.months[11].gpus, 64);
  EXPECT_DOUBLE_EQ(fz.months[12].gpus, 128);
  EXPECT_DOUBLE_EQ(fz.months[12].racks_built, 190);
  // More GPUs at Fuzhou: the GPU load moves there in proportion (128 : 128).
  EXPECT_NEAR(fz.months[12].gpu_load / site(r, "xiamen-gpu-center").months[12].gpu_load, 1.0, 1e-9);
  const auto& pt = site(r, "edge-putian-chengxiang");
  EXPECT_DOUBLE_EQ(pt.months[23].racks_built, 0);
  EXPECT_DOUBLE_EQ(pt.months[24].racks_built, 20);
  EXPECT_DOUBLE_EQ(pt.months[23].core_load, 0);
  EXPECT_GT(pt.months[24].core_load, 0);
  // The scenario as it stands at a month: rates grown, additions made, later sites absent.
  const auto at23 = capacity::scenario_at_month(s, 23);
  EXPECT_EQ(at23.find_site("edge-putian-chengxiang"), nullptr);
  EXPECT_EQ(at23.find_site("fuzhou-core-dc")->racks, 190);
  EXPECT_NEAR(at23.workload.classes[1].arrivals.rate_per_s, 0.48 * std::pow(1.4, 23 / 12.0), 1e-12);
  const auto at24 = capacity::scenario_at_month(s, 24);
  ASSERT_NE(at24.find_site("edge-putian-chengxiang"), nullptr);
  EXPECT_NEAR(at24.workload.classes[1].arrivals.rate_per_s, 0.48 * 1.96, 1e-12);
  EXPECT_EQ(capacity::scenario_at_month(s, 11).find_site("fuzhou-core-dc")->nodes.size(), 2u);
  EXPECT_THROW(capacity::scenario_at_month(s, 61), model::UserError);
}

TEST(GrowthFastPath, SiteOpeningBeyondTheBudgetBreaksTheCircleOnItsMonth) {
  // Putian's edge DC moved 170 km north of its hub (over 1 ms one way) and opening in month 24.
  auto s = teaching_growth(
      {{"/sites/4/lat_deg", 27.0},
       {"/growth/additions",
        nlohmann::json::parse(R"([{"month": 24, "site": "edge-putian-chengxiang", "opens": true}])")}});
  const auto r = growth_of(s);
  const auto circle = limit(capacity::GrowthLimit::kCircle);
  EXPECT_EQ(site(r, "edge-putian-chengxiang").first[circle], 24);
  EXPECT_EQ(r.cities[2].name, "putian");
  EXPECT_EQ(r.cities[2].first[circle], 24);
  EXPECT_EQ(r.cities[0].first[circle], std::nullopt);
  EXPECT_EQ(r.province.first[circle], 24);
  // Before it opens, Putian's edge requests have no site within 1 ms: the budget is missed at once.
  EXPECT_EQ(r.province.first[limit(capacity::GrowthLimit::kBudget)], 0);
  EXPECT_LT(r.province.months[0].budget_attainment, 0.9);
  // In the scenario as shipped, every request has a site within its budget, with almost no wait.
  const auto shipped = growth_of(teaching_growth());
  EXPECT_EQ(shipped.province.first[circle], std::nullopt);
  EXPECT_GT(shipped.province.months[60].budget_attainment, 0.999);
}

TEST(GrowthFastPath, CostsPerYear) {
  const auto s = teaching_growth();
  const auto r = growth_of(s);
  const auto years = capacity::growth_years(r.start, r.province.months);
  ASSERT_EQ(years.size(), 5u);
  EXPECT_EQ(years[0].year, 2025);
  EXPECT_EQ(years[4].year, 2029);
  // Capital: 344 racks x 100,000 + cooling (rated, 860 kW) x 3,000, over 10 years.
  EXPECT_NEAR(years[0].capital_cost, (344 * 100000.0 + 860 * 3000.0) / 10, 1e-6);
  // Carbon cost: the year's tonnes at 90 per tonne.
  EXPECT_NEAR(years[0].carbon_cost, years[0].carbon_kg / 1000 * 90, 1e-6);
  EXPECT_NEAR(years[0].tco(), years[0].electricity_cost + years[0].carbon_cost + years[0].capital_cost, 1e-6);
  EXPECT_GT(years[4].electricity_cost, years[0].electricity_cost);
  const auto csv = capacity::growth_costs_csv(r, true);
  EXPECT_EQ(csv.substr(0, 3), "\xEF\xBB\xBF");
  // Money columns carry their currency, as the JSON's "currency" does.
  EXPECT_EQ(
      csv.substr(3, csv.find('\n') - 3),
      "level,name,name_zh,city,year,it_mwh,facility_mwh,pue,electricity_cost_cny,carbon_t,carbon_cost_cny,"
      "capital_cost_cny,tco_cny");
  auto in_euro = r;
  in_euro.currency = "EUR";
  EXPECT_NE(capacity::growth_costs_csv(in_euro, false).find(",electricity_cost_eur,carbon_t,"),
            std::string::npos);
  EXPECT_NE(csv.find("\nprovince,teaching-growth,,,2025,"), std::string::npos);
  EXPECT_NE(csv.find("site,xiamen-gpu-center,\xE5\x8E\xA6"), std::string::npos);  // 厦门…
}

TEST(GrowthScenario, BadFieldsNameTheirPointer) {
  const auto message = [](const std::string& pointer, const nlohmann::json& value) {
    try {
      teaching_growth({{pointer, value}});
    } catch (const model::UserErrors& e) {
      std::string all;
      for (const auto& x : e.errors()) all += std::string(x.what()) + "\n";
      return all;
    } catch (const model::UserError& e) {
      return std::string(e.what());
    }
    return std::string("no error");
  };
  EXPECT_NE(message("/growth/demand/0/class", "nope").find("/growth/demand/0/class"), std::string::npos);
  EXPECT_NE(message("/growth/start", "2025-13").find("/growth/start"), std::string::npos);
  EXPECT_NE(message("/growth/demand/0/per_year", -1).find("/growth/demand/0/per_year"), std::string::npos);
  EXPECT_NE(
      message("/growth/additions", nlohmann::json::parse(R"([{"month": 99, "site": "fuzhou-core-dc"}])"))
          .find("/growth/additions/0/month"),
      std::string::npos);
  EXPECT_NE(message("/growth/additions", nlohmann::json::parse(R"([{"month": 1, "site": "atlantis"}])"))
                .find("/growth/additions/0/site"),
            std::string::npos);
  EXPECT_NE(message("/costs/depreciation_years", 0).find("/costs/depreciation_years"), std::string::npos);
  const auto outages = nlohmann::json::parse(
      R"([{"site": "fuzhou-core-dc", "start_s": 100, "end_s": 50},
          {"site": "xiamen-gpu-center", "start_s": 0, "end_s": 500},
          {"site": "xiamen-gpu-center", "start_s": 400, "end_s": 900}])");
  const auto m = message("/outages", outages);
  EXPECT_NE(m.find("/outages/0/end_s"), std::string::npos) << m;
  EXPECT_NE(m.find("/outages/2"), std::string::npos) << m;
  const auto plant = message(
      "/outages",
      nlohmann::json::parse(R"([{"site": "fuzhou-core-dc", "what": "cooling", "start_s": 0, "end_s": 10}])"));
  EXPECT_NE(plant.find("/outages/0/what: site \"fuzhou-core-dc\" has no cooling units"), std::string::npos)
      << plant;
  const auto pump = message(
      "/outages", nlohmann::json::parse(
                      R"([{"site": "xiamen-gpu-center", "what": "pump", "start_s": 20, "end_s": 30}])"));
  EXPECT_NE(pump.find("/outages/0/what: expected one of site, cooling, ups"), std::string::npos) << pump;
  model::LoadOptions options;
  options.edits = {
      {"/sites/0/cooling/units", 4},
      {"/outages", nlohmann::json::parse(R"([{"site": "fuzhou-core-dc", "what": "cooling", "units": 5,
                                                           "start_s": 0, "end_s": 10}])")}};
  try {
    suanli::load::load_scenario(suanli::test::source_dir() + "/scenarios/teaching-growth.json", options);
    ADD_FAILURE() << "5 of 4 units accepted";
  } catch (const model::UserErrors& e) {
    EXPECT_NE(std::string(e.errors().front().what()).find("/outages/0/units"), std::string::npos);
  }
}

TEST(CapacityPlant, CoolingSmallerThanRatedStrandsSpace) {
  // Fuzhou's core DC: 150 racks, 262.4 kW committed (656 x 400 W) + 8 GPU servers (81.6 kW) = 344 kW;
  // a cooling plant of 354 kW leaves 10 kW: 4 racks can be added, the other free racks are stranded.
  auto s = teaching_growth({{"/sites/0/cooling/capacity_w", 354000.0}});
  const auto h = capacity::compute_headroom(s);
  const auto& fz = h.sites[0];
  EXPECT_EQ(fz.racks_addable, 4);
  EXPECT_TRUE(fz.at("cooling").binding);
  EXPECT_FALSE(fz.at("space").binding);
  EXPECT_NEAR(fz.at("space").stranded, 150 - 344.0 / 2.5 - 4, 1e-9);
}

TEST(CapacityPlant, RedundantUnitsFailOneByOne) {
  model::Plant p;
  p.capacity_w = 900e3;
  p.units = 4;  // N = 3, N+1
  p.redundant_units = 1;
  EXPECT_DOUBLE_EQ(p.usable_w(0), 900e3);
  EXPECT_EQ(p.spare_units(), 1);
  p.failed_units = 1;  // N+1 -> N: full capacity, no spare
  EXPECT_DOUBLE_EQ(p.usable_w(0), 900e3);
  EXPECT_EQ(p.spare_units(), 0);
  p.failed_units = 2;  // 2 of 3 needed units
  EXPECT_DOUBLE_EQ(p.usable_w(0), 600e3);
  EXPECT_EQ(p.spare_units(), -1);
  model::Plant none;
  EXPECT_DOUBLE_EQ(none.usable_w(123.0), 123.0);  // default: sized for the rated IT power

  auto s = teaching_growth({{"/sites/0/cooling/units", 4}, {"/sites/0/cooling/redundant_units", 1}});
  const auto rows = [&](const std::vector<std::string>& f) {
    return capacity::what_if(s, capacity::with_failures(s, f), 0.6);
  };
  const auto value = [](const std::vector<capacity::WhatIfRow>& rs, const std::string& figure) {
    for (const auto& r : rs)
      if (r.figure == figure) return r.changed;
    return std::nan("");
  };
  const auto one = rows({"cooling:fuzhou-core-dc"});
  EXPECT_DOUBLE_EQ(value(one, "usable cooling capacity"), 0.86);  // 344 racks x 2.5 kW, unchanged
  EXPECT_DOUBLE_EQ(value(one, "sites without a spare unit (N+0)"), 1);
  const auto two = rows({"cooling:fuzhou-core-dc", "cooling:fuzhou-core-dc"});
  EXPECT_NEAR(value(two, "usable cooling capacity"), 0.86 - 0.375 / 3, 1e-12);  // Fuzhou's 375 kW x 2/3
  EXPECT_DOUBLE_EQ(value(two, "sites short of UPS or cooling (below N)"), 1);
  EXPECT_THROW(capacity::with_failures(s, {"ups:fuzhou-core-dc"}), model::UserError);  // no UPS units
}

// ---- One load model: pue and capacity default to the load the workload implies ---------------------

TEST(WorkloadItLoad, IsMonthZeroOfTheFastPathAndWhatPueUsesByDefault) {
  const auto s = teaching_growth();
  const suanli::energy::SiteWeather weather(s);
  const suanli::energy::GridCarbon carbon(s);
  const auto w = capacity::workload_it_load(s, weather, carbon);
  const auto r = growth_of(s);
  ASSERT_EQ(w.site_it_w.size(), s.sites.size());
  for (std::size_t i = 0; i < s.sites.size(); ++i) {
    EXPECT_DOUBLE_EQ(w.site_it_w[i], r.sites[i].months[0].it_w) << s.sites[i].name;
    // Idle power at least, full load at most.
    EXPECT_GT(w.site_it_w[i], 0);
    EXPECT_LE(w.site_it_w[i], s.sites[i].rated_it_w());
  }
  EXPECT_EQ(w.month, "2025-01");
  // The default profile of `suanli pue`: that load, said so; --it-load overrides; no workload: assumed.
  const auto p = capacity::annual_it_load(s, weather, carbon, std::nullopt);
  EXPECT_EQ(p.source, "workload");
  EXPECT_EQ(p.site_mean_w, w.site_it_w);
  EXPECT_NEAR(p.it_load, w.total_w / w.rated_w, 1e-12);
  const auto year = suanli::energy::annual_pue(s, weather, carbon, p);
  EXPECT_NEAR(year.total.it_kwh, w.total_w * 8760 / 1000, 1e-6 * year.total.it_kwh);  // no daily swing
  EXPECT_EQ(capacity::annual_it_load(s, weather, carbon, 0.6).source, "option");
  auto empty = s;
  empty.workload.classes.clear();
  EXPECT_EQ(capacity::annual_it_load(empty, weather, carbon, std::nullopt).source, "assumed");
}

TEST(WorkloadItLoad, WhatIfComparesAtEqualDemand) {
  const auto s = teaching_growth();
  const auto value = [](const std::vector<capacity::WhatIfRow>& rs, const std::string& figure, bool changed) {
    for (const auto& r : rs)
      if (r.figure == figure) return changed ? r.changed : r.baseline;
    return std::nan("");
  };
  // Empty racks added: no servers, so no IT energy added (at a share of rated, they would add load).
  auto more = s;
  more.sites[0].racks += 1000;
  const auto rows = capacity::what_if(s, more, std::nullopt);
  EXPECT_DOUBLE_EQ(value(rows, "annual IT energy", true), value(rows, "annual IT energy", false));
  EXPECT_GT(value(rows, "annual facility energy", true),
            value(rows, "annual facility energy", false) * 0.999);
  const auto at_share = capacity::what_if(s, more, 0.6);
  EXPECT_GT(value(at_share, "annual IT energy", true), value(at_share, "annual IT energy", false) * 1.5);
  // A failed site's demand moves to the sites that remain: what they cannot take is reported.
  const auto failed = capacity::what_if(s, capacity::with_failures(s, {"site:fuzhou-core-dc"}), std::nullopt);
  EXPECT_EQ(value(failed, "workload: cores busy beyond those installed", false), 0);
  EXPECT_GT(value(failed, "workload: cores busy beyond those installed", true), 0);
  const suanli::energy::SiteWeather weather(s);
  const suanli::energy::GridCarbon carbon(s);
  const auto before = capacity::workload_it_load(s, weather, carbon);
  const auto lost = capacity::with_failures(s, {"site:fuzhou-core-dc"});
  const suanli::energy::SiteWeather weather2(lost);
  const suanli::energy::GridCarbon carbon2(lost);
  const auto after = capacity::workload_it_load(lost, weather2, carbon2);
  // Xiamen's GPU centre takes Fuzhou's GPU inference and batch work: its IT power rises.
  const auto xiamen = [](const model::Scenario& sc) {
    for (std::size_t i = 0; i < sc.sites.size(); ++i)
      if (sc.sites[i].name == "xiamen-gpu-center") return i;
    return sc.sites.size();
  };
  EXPECT_GT(after.site_it_w[xiamen(lost)], before.site_it_w[xiamen(s)] * 1.05);
}
