// Energy settings of a scenario: calendar, default weather, grid carbon, tariff, facility-model
// constants and planning targets. Every default and its source: docs/model.md.
#pragma once

#include <array>
#include <optional>
#include <string>
#include <vector>

namespace suanli::model {

/// Weather when neither the site nor its city names an EPW file: constant, or one value per month.
struct DefaultWeather {
  double dry_bulb_c = 20.0;
  double relative_humidity = 75.0;  ///< percent
  std::optional<std::array<double, 12>> monthly_dry_bulb_c;
  std::optional<std::array<double, 12>> monthly_relative_humidity;
};

/// Highest grid carbon intensity accepted, kg CO2eq per kWh: well above lignite (about 1.2), the
/// dirtiest source, so a larger figure is a unit mistake.
inline constexpr double kMaxCarbonKgPerKwh = 5.0;
/// The same bound for the hourly files, in their unit (g CO2eq per kWh).
inline constexpr double kMaxCarbonGPerKwh = 1000 * kMaxCarbonKgPerKwh;

/// Grid carbon intensity: a constant, or an hourly Electricity Maps export (8,760 rows).
struct Grid {
  double carbon_kg_per_kwh = 0.4092;  ///< Fujian 2022 provincial average (MEE, 2024)
  std::string carbon_file;            ///< relative to the scenario file; empty: the constant
  bool carbon_life_cycle = false;     ///< use the LCA column instead of the direct one
};

/// One time-of-use period, [start_hour, end_hour) of the day (end may wrap past midnight).
struct TariffPeriod {
  std::string name;
  double start_hour = 0;
  double end_hour = 24;
  double price_per_kwh = 0;
};

/// Electricity price: `price_per_kwh` outside every period.
struct Tariff {
  double price_per_kwh = 0.65;  ///< CNY per kWh
  std::string currency = "CNY";
  std::vector<TariffPeriod> periods;
};

/// Constants of the facility model (docs/model.md): electrical losses, cooling plant, overheads, water.
struct FacilityConstants {
  double ups_loss_fixed = 0.010;            ///< losses at no load, share of rated IT power
  double ups_loss_linear = 0.020;           ///< share of rated IT x load
  double ups_loss_quadratic = 0.010;        ///< share of rated IT x load^2
  double air_fan_fraction = 0.12;           ///< CRAH/CRAC fans, humidity control: W per W of air-cooled heat
  double plant_pump_fraction = 0.08;        ///< pumps and cooling towers: W per W of air-cooled heat
  double free_cooling_band_c = 4.0;         ///< partial free cooling up to threshold + band (wet bulb)
  double chiller_design_wet_bulb_c = 27.0;  ///< outdoor wet bulb at which chiller_cop applies
  double chiller_cop_gain_per_c = 0.02;     ///< relative COP gain per degree cooler than design
  double overhead_fraction = 0.01;          ///< lighting, offices: share of rated IT power, constant
  double wue_l_per_kwh = 1.8;               ///< water per kWh of IT energy (evaporative cooling)
};

/// Planning targets; each site is checked against those its size class makes applicable.
struct Targets {
  double pue_max = 1.3;           ///< new large and hyperscale data centres
  double pue_hub_max = 1.25;      ///< national hub sites
  double liquid_share_min = 0.0;  ///< liquid-cooled share of IT power
  double occupancy_min = 0.6;     ///< 上架率
  double occupancy_hub_min = 0.65;
  std::array<double, 3> gb40879_grade_max{1.20, 1.30, 1.50};  ///< grades 1, 2, 3 (3 = the limit)
};

struct EnergySettings {
  double start_hour_of_year = 0;  ///< simulated time 0 is this hour of the weather/carbon year
  DefaultWeather default_weather;
  Grid grid;
  Tariff tariff;
  FacilityConstants facility;
  Targets targets;
};

}  // namespace suanli::model
