// The facility model: energy balance, monotonicity, calibration against published ranges on real
// weather years, targets and grades, tariff and calendar lookups.
#include <gtest/gtest.h>

#include <cmath>

#include "TestScenarios.hpp"
#include "energy/AnnualPue.hpp"
#include "energy/Conditions.hpp"
#include "energy/Facility.hpp"
#include "energy/Targets.hpp"
#include "model/ScenarioReader.hpp"
#include "workload/Random.hpp"

namespace energy = suanli::energy;
namespace model = suanli::model;

namespace {

energy::SiteFacility air_site(double liquid_share = 0) {
  energy::SiteFacility f;
  f.rated_it_w = 1e7;
  f.liquid_share = liquid_share;
  f.air_share = 1 - liquid_share;
  return f;
}

/// One large site (5,000 racks) in a city whose weather file is `epw`, cooled with `liquid_share`.
model::Scenario calibration_scenario(const std::string& epw, double liquid_share) {
  auto doc = suanli::test::minimal_doc();
  doc["cities"][0]["weather_file"] = suanli::test::source_dir() + "/../shared/data/weather/" + epw;
  doc["sites"][1]["racks"] = 5000;
  doc["sites"][1]["cooling"] = {{"liquid_share", liquid_share}};
  return suanli::test::scenario_from(doc);
}

double annual_pue_of_site1(const model::Scenario& s, double it_load = 0.6) {
  const energy::SiteWeather weather(s);
  const energy::GridCarbon carbon(s);
  energy::ItLoadProfile profile;
  profile.it_load = it_load;
  return energy::annual_pue(s, weather, carbon, profile).sites[1].pue;
}

}  // namespace

TEST(Facility, EnergyBalanceHoldsAndEveryTermIsNonNegative) {
  const model::FacilityConstants k;
  suanli::workload::Random rng(42);
  for (int i = 0; i < 10000; ++i) {
    auto site = air_site(rng.uniform());
    site.chiller_cop = 2 + 6 * rng.uniform();
    const double it = 1.2 * site.rated_it_w * rng.uniform();
    const double wb = -10 + 45 * rng.uniform();
    const auto p = energy::facility_power(site, k, it, wb);
    ASSERT_GE(p.loss_w, 0);
    ASSERT_GE(p.air_cooling_w, 0);
    ASSERT_GE(p.liquid_cooling_w, 0);
    ASSERT_GE(p.overhead_w, 0);
    ASSERT_NEAR(p.facility_w(), p.it_w + p.loss_w + p.air_cooling_w + p.liquid_cooling_w + p.overhead_w,
                1e-9 * p.facility_w());
    if (p.it_w > 0) {
      ASSERT_GT(p.pue(), 1.0);
    }
  }
}

TEST(Facility, PueFallsWithLiquidShareAndRisesWithOutdoorWetBulb) {
  const model::FacilityConstants k;
  const double it = 6e6;
  for (double wb : {0.0, 12.0, 16.0, 20.0, 26.0, 32.0}) {
    double previous = INFINITY;
    for (double liquid = 0; liquid <= 1.0001; liquid += 0.1) {
      const double pue = energy::facility_power(air_site(liquid), k, it, wb).pue();
      EXPECT_LT(pue, previous) << "wb " << wb << " liquid " << liquid;
      previous = pue;
    }
  }
  for (double liquid : {0.0, 0.3, 0.7}) {
    double previous = 0;
    for (double wb = 0; wb <= 35; wb += 1) {
      const double pue = energy::facility_power(air_site(liquid), k, it, wb).pue();
      EXPECT_GE(pue, previous) << "liquid " << liquid << " wb " << wb;
      previous = pue;
    }
    // Strictly higher in the chiller range than in free cooling.
    EXPECT_GT(energy::facility_power(air_site(liquid), k, it, 28).pue(),
              energy::facility_power(air_site(liquid), k, it, 5).pue());
  }
}

TEST(Facility, LossesDropInEfficiencyAtLowLoad) {
  const model::FacilityConstants k;
  const auto site = air_site();
  const auto at = [&](double load) {
    const auto p = energy::facility_power(site, k, load * site.rated_it_w, 10);
    return p.loss_w / p.it_w;
  };
  EXPECT_GT(at(0.1), at(0.5));
  EXPECT_GT(at(0.5), at(1.0) - 1e-12);
  EXPECT_NEAR(at(1.0), k.ups_loss_fixed + k.ups_loss_linear + k.ups_loss_quadratic, 1e-12);
}

TEST(Facility, FreeCoolingAndChillerCop) {
  const model::FacilityConstants k;
  const auto site = air_site();  // threshold 14 degC, band 4 degC
  EXPECT_EQ(energy::free_cooling_share(site, k, 14), 1.0);
  EXPECT_NEAR(energy::free_cooling_share(site, k, 16), 0.5, 1e-12);
  EXPECT_EQ(energy::free_cooling_share(site, k, 18), 0.0);
  EXPECT_NEAR(energy::chiller_cop_at(site, k, k.chiller_design_wet_bulb_c), site.chiller_cop, 1e-12);
  EXPECT_GT(energy::chiller_cop_at(site, k, 20), energy::chiller_cop_at(site, k, 27));
}

TEST(FacilityCalibration, FuzhouAirCooledInPublishedRangeLiquidBelowTargetGuiyangLower) {
  const double fuzhou_air = annual_pue_of_site1(calibration_scenario("CHN_Fujian.Fuzhou.588470_CSWD.epw", 0));
  const double fuzhou_liquid =
      annual_pue_of_site1(calibration_scenario("CHN_Fujian.Fuzhou.588470_CSWD.epw", 0.7));
  const double guiyang_air =
      annual_pue_of_site1(calibration_scenario("CHN_Guizhou.Guiyang.578160_CSWD.epw", 0));
  RecordProperty("fuzhou_air_pue", std::to_string(fuzhou_air));
  RecordProperty("fuzhou_liquid70_pue", std::to_string(fuzhou_liquid));
  RecordProperty("guiyang_air_pue", std::to_string(guiyang_air));
  // South China air cooling: about 1.35-1.6; 70 % liquid cooling: <= 1.25; a cool hub does better.
  EXPECT_GE(fuzhou_air, 1.35);
  EXPECT_LE(fuzhou_air, 1.6);
  EXPECT_LE(fuzhou_liquid, 1.25);
  EXPECT_LT(guiyang_air, fuzhou_air);
}

TEST(Targets, LimitsFollowSizeClassAndHubStatus) {
  auto doc = suanli::test::minimal_doc();  // a1: 200 racks (small/medium), a2: 3000 (large), b1: edge
  doc["sites"][1]["hub"] = true;
  const auto s = suanli::test::scenario_from(doc);
  const auto hub = energy::evaluate_site(s, s.sites[1], 1.27);
  EXPECT_EQ(hub.pue_limit, 1.25);
  EXPECT_EQ(hub.pue, energy::Status::kFail);
  EXPECT_EQ(hub.gb40879_grade, 2);
  EXPECT_EQ(hub.occupancy_limit, 0.65);
  EXPECT_EQ(hub.occupancy, energy::Status::kFail);  // 9 servers x 250 W in 3000 racks
  const auto small = energy::evaluate_site(s, s.sites[0], 1.45);
  EXPECT_EQ(small.pue, energy::Status::kNotApplicable);
  EXPECT_EQ(small.gb40879_grade, 3);
  const auto edge = energy::evaluate_site(s, s.sites[2], 1.8);
  EXPECT_EQ(edge.pue, energy::Status::kNotApplicable);
  EXPECT_EQ(edge.gb40879_grade, 0);  // outside GB 40879
  EXPECT_EQ(energy::gb40879_grade(s.energy.targets, 1.20), 1);
  EXPECT_EQ(energy::gb40879_grade(s.energy.targets, 1.31), 3);
  EXPECT_EQ(energy::gb40879_grade(s.energy.targets, 1.51), 4);
  doc["sites"][1]["hub"] = false;
  const auto s2 = suanli::test::scenario_from(doc);
  EXPECT_EQ(energy::evaluate_site(s2, s2.sites[1], 1.27).pue, energy::Status::kPass);  // large: <= 1.3
  // liquid_share_min 0 (the default) is no target: n/a, not a PASS; a minimum is checked.
  EXPECT_EQ(hub.liquid, energy::Status::kNotApplicable);
  EXPECT_EQ(energy::evaluate_overall(s, 1.2).liquid, energy::Status::kNotApplicable);
  doc["targets"] = {{"liquid_share_min", 0.3}};
  doc["sites"][1]["cooling"] = {{"liquid_share", 0.5}};
  const auto s3 = suanli::test::scenario_from(doc);
  EXPECT_EQ(energy::evaluate_site(s3, s3.sites[1], 1.27).liquid, energy::Status::kPass);
  EXPECT_EQ(energy::evaluate_site(s3, s3.sites[0], 1.27).liquid, energy::Status::kFail);
}

TEST(Conditions, TariffPeriodsAndCalendar) {
  model::Tariff t;
  t.price_per_kwh = 0.6;
  t.periods = {{"peak", 8, 11, 1.1}, {"valley", 23, 7, 0.3}};
  EXPECT_EQ(energy::tariff_price(t, 9.5), 1.1);
  EXPECT_EQ(energy::tariff_price(t, 23.5), 0.3);
  EXPECT_EQ(energy::tariff_price(t, 3), 0.3);
  EXPECT_EQ(energy::tariff_price(t, 12), 0.6);
  model::EnergySettings e;
  e.start_hour_of_year = 8759;
  EXPECT_EQ(energy::hour_of_year(e, 0), 8759u);
  EXPECT_EQ(energy::hour_of_year(e, 3600), 0u);
}

TEST(Conditions, HourlyCarbonFromElectricityMapsExport) {
  auto doc = suanli::test::minimal_doc();
  doc["energy"] = {
      {"grid",
       {{"carbon_file", suanli::test::source_dir() + "/../shared/data/carbon/DE-LU_2023_hourly.csv"}}}};
  const auto s = suanli::test::scenario_from(doc);
  const energy::GridCarbon carbon(s);
  ASSERT_TRUE(carbon.hourly());
  EXPECT_NEAR(carbon.kg_per_kwh(0), 0.14051, 1e-12);
  doc["energy"]["grid"]["carbon_life_cycle"] = true;
  const auto s2 = suanli::test::scenario_from(doc);
  EXPECT_NEAR(energy::GridCarbon(s2).kg_per_kwh(0), 0.1858, 1e-12);
  EXPECT_NEAR(energy::GridCarbon(suanli::test::scenario_from(suanli::test::minimal_doc())).kg_per_kwh(123),
              0.4092, 1e-12);
}
