// The scenario: plain data describing cities, sites, servers, fiber and run settings (format v1).
//
// Units are in the field names (_km, _s, _w, _flops, _bps, _deg, _gib, _c). docs/scenario.md is the
// user-facing reference of every field and its default. Optional fields hold their defaults after
// reading; fields whose default depends on other fields use std::optional.
#pragma once

#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "model/EnergySettings.hpp"
#include "model/Workload.hpp"

namespace suanli::model {

/// IT power of one standard rack (标准机架): racks are counted in units of 2.5 kW.
inline constexpr double kStandardRackW = 2500.0;

enum class CityRole { kCentral, kRegional };
enum class SiteKind { kCoreCluster, kGpuCenter, kSupercomputingCenter, kEdgeDc };
enum class LiquidTechnology { kColdPlate, kImmersion };
enum class LatencyMode { kOneWay, kRoundTrip };
enum class HostGranularity { kServer, kRack, kPod };
/// Size class of a site by standard racks: edge <= 100, small/medium < 3,000, large 3,000-9,999,
/// hyperscale >= 10,000.
enum class SizeClass { kEdge, kSmallMedium, kLarge, kHyperscale };

std::string_view to_string(CityRole v);
std::string_view to_string(SiteKind v);
std::string_view to_string(LiquidTechnology v);
std::string_view to_string(LatencyMode v);
std::string_view to_string(HostGranularity v);
std::string_view to_string(SizeClass v);

/// Longest simulated time accepted, seconds (10 years of 365.25 days).
inline constexpr double kMaxHorizonS = 10 * 365.25 * 86400;
/// Shortest sampling interval accepted, seconds.
inline constexpr double kMinSamplingIntervalS = 1e-3;
/// Default limit on the rows of timeseries.csv (about 1 GB of text).
inline constexpr std::int64_t kDefaultMaxTimeseriesRows = 10'000'000;

struct Outputs {
  std::string directory;  ///< empty: "out/<name>"
  double sampling_interval_s = 300.0;
  /// A run whose timeseries.csv would have more rows (samples x sites) is refused before it starts.
  std::int64_t max_timeseries_rows = kDefaultMaxTimeseriesRows;
};

/// Fiber propagation and equipment delay. Latency of a link, one way:
///   fiber_km * fiber_latency_s_per_km + hop_delay_s.
struct NetworkModel {
  double fiber_latency_s_per_km = 5e-6;  ///< light in fiber, refractive index ~1.47
  double route_factor = 1.4;             ///< fiber route / straight line, when fiber_km is not given
  double hop_delay_s = 1e-5;             ///< per fiber link traversed (switching, OTN)
  double intercity_bandwidth_bps = 4e12;
};

/// The latency circle: 1 ms inside a city, 5 ms between central cities (one-way by default).
struct LatencyTargets {
  double intra_city_s = 1e-3;
  double inter_central_city_s = 5e-3;
  LatencyMode mode = LatencyMode::kOneWay;
};

/// How the scenario maps onto SimGrid hosts and links.
struct PlatformSettings {
  HostGranularity host_granularity = HostGranularity::kRack;
  int pod_racks = 20;
  double lan_latency_s = 5e-6;
  double tcp_gamma_bytes = 1073741824.0;
};

struct City {
  std::string name;
  std::string name_zh;
  double lat_deg = 0;
  double lon_deg = 0;
  CityRole role = CityRole::kRegional;
  std::string weather_file;
};

/// One performance state of a server: per-core speed and the server's power idle / at full load.
struct PState {
  double core_speed_flops = 0;
  double idle_w = 0;
  double max_w = 0;
};

/// A server model.
struct NodeType {
  std::string name;
  std::string description;
  int cores = 1;
  std::vector<PState> pstates;  ///< fastest first
  double off_w = 0;
  /// Switching a server on or off takes time and energy. In SimGrid these are two extra power states
  /// after the real ones: boot_pstate() and shutdown_pstate() (no job runs in them).
  double boot_s = 120;
  std::optional<double> boot_w;  ///< default: pstate 0's idle_w
  double shutdown_s = 30;
  std::optional<double> shutdown_w;  ///< default: pstate 0's idle_w
  int gpus = 0;
  double gpu_speed_flops = 0;  ///< peak per accelerator
  double memory_gib = 0;
  double nic_bps = 2.5e10;
  std::optional<int> servers_per_rack;  ///< default: max(1, floor(2500 W / max_w))
  /// SPECpower 11-point table (power at 0, 10, ..., 100 % load); its end points are pstate 0's
  /// idle_w and max_w (SimGrid's model is linear between them).
  std::string power_curve_file;
  std::optional<std::array<double, 11>> power_curve_w;  ///< read from power_curve_file

  /// Servers in one physical rack (explicit or derived from power).
  int effective_servers_per_rack() const;
  /// Peak compute of one server, flops: cores * core speed (pstate 0) + gpus * gpu speed.
  double peak_flops() const;
  /// Standard racks one server occupies: max_w (pstate 0) / 2500 W.
  double standard_racks_per_server() const;
  int boot_pstate() const { return static_cast<int>(pstates.size()); }
  int shutdown_pstate() const { return static_cast<int>(pstates.size()) + 1; }
  double effective_boot_w() const { return boot_w.value_or(pstates.empty() ? 0.0 : pstates.front().idle_w); }
  double effective_shutdown_w() const {
    return shutdown_w.value_or(pstates.empty() ? 0.0 : pstates.front().idle_w);
  }
  /// Energy of one server's boot and of its shutdown, J.
  double boot_energy_j() const { return boot_s * effective_boot_w(); }
  double shutdown_energy_j() const { return shutdown_s * effective_shutdown_w(); }
};

struct NodeGroup {
  std::string type;  ///< a NodeType name
  std::int64_t count = 0;
};

/// A plant of identical units of which `redundant_units` are spares (N+1: units = N + 1, redundant 1).
/// Its usable capacity is `capacity_w` while at least N units work, and falls in proportion below.
/// Absent capacity: sized for the site's rated IT power (racks x 2.5 kW).
struct Plant {
  std::optional<double> capacity_w;  ///< IT power (UPS) or heat (cooling) the plant carries with N units
  int units = 0;                     ///< 0: not modeled as units (no redundancy figures)
  int redundant_units = 0;
  int failed_units = 0;  ///< not in the format: set by failures (`capacity --fail cooling:SITE`)
  /// Working units beyond N (negative: short of N); 0 when units are not modeled.
  int spare_units() const { return units > 0 ? units - failed_units - (units - redundant_units) : 0; }
  /// Usable capacity, W, with `rated_w` as the default capacity.
  double usable_w(double rated_w) const;
};

struct Cooling {
  double air_share = 1.0;
  double liquid_share = 0.0;
  LiquidTechnology liquid_technology = LiquidTechnology::kColdPlate;
  double design_pue = 1.3;
  double free_cooling_wet_bulb_max_c = 14.0;
  double chiller_cop = 5.0;
  double liquid_cop = 20.0;
  std::optional<double> wue_l_per_kwh;  ///< default: energy.facility.wue_l_per_kwh
  Plant plant;                          ///< "capacity_w", "units", "redundant_units" of the cooling object
};

struct Site {
  std::string name;
  std::string name_zh;
  SiteKind kind = SiteKind::kCoreCluster;
  std::string city;
  double lat_deg = 0;
  double lon_deg = 0;
  std::int64_t racks = 0;  ///< standard racks built
  bool hub = false;
  std::vector<NodeGroup> nodes;
  Cooling cooling;
  double uplink_bps = 4e11;
  bool attach_to_city = true;
  std::optional<double> metro_fiber_km;
  std::string weather_file;
  Plant ups;  ///< "ups": the UPS and power distribution that carry the IT load
  /// Rated IT power, W: racks x 2.5 kW.
  double rated_it_w() const { return static_cast<double>(racks) * kStandardRackW; }
};

struct Link {
  std::string from;
  std::string to;
  std::optional<double> fiber_km;
  std::optional<double> bandwidth_bps;
};

struct DemandPoint {
  std::string name;
  std::string city;
  double lat_deg = 0;
  double lon_deg = 0;
  double weight = 1.0;
};

/// Annual demand growth of a job class ("*": every class not named).
struct GrowthRate {
  std::string job_class;
  double per_year = 0;  ///< 0.4: +40 % a year, compounded monthly
};

/// Capacity coming online at a month of the growth horizon.
struct GrowthAddition {
  std::int64_t month = 0;  ///< months after growth.start
  std::string site;
  std::int64_t racks = 0;        ///< standard racks added
  std::vector<NodeGroup> nodes;  ///< servers added
  bool opens = false;            ///< the site does not exist before this month
};

/// `growth`: how demand grows and capacity is added, month by month (`suanli capacity --growth`,
/// `suanli run --growth-month`).
struct Growth {
  bool present = false;
  std::string start = "2025-01";  ///< calendar month of month 0, YYYY-MM
  std::int64_t horizon_months = 60;
  std::vector<GrowthRate> demand;
  std::vector<GrowthAddition> additions;
  double max_utilization = 0.85;  ///< a pool whose offered load exceeds this share of it has run out
  /// Demand multiplier of a class at a month: (1 + per_year)^(month / 12).
  double multiplier(std::string_view job_class, double month) const;
};

/// `costs`: settings of the total cost of ownership (electricity comes from the tariff).
struct Costs {
  double capex_per_rack = 0;        ///< per standard rack built (building, power, fit-out; not IT)
  double capex_per_cooling_kw = 0;  ///< per kW of cooling plant capacity
  double depreciation_years = 10;   ///< straight-line: capital cost / years, per year
  double carbon_price_per_t = 0;    ///< per tonne CO2
};

/// What fails in an outage: the whole site, or units of its cooling plant or UPS.
enum class OutageKind { kSite, kCooling, kUps };
std::string_view to_string(OutageKind v);

/// `outages`: a site, or units of its cooling plant or UPS, out of service during a run, from start_s
/// until end_s (the repair). A plant failure takes out the servers its remaining capacity cannot carry.
struct Outage {
  std::string site;
  double start_s = 0;
  double end_s = 0;
  OutageKind what = OutageKind::kSite;
  int units = 1;  ///< cooling / ups: units that fail
};

struct Scenario {
  std::string source_file;  ///< where it was read from (for messages); not part of the format
  int format_version = 1;
  std::string name;
  std::string description;
  std::uint64_t seed = 1;
  double horizon_s = 86400.0;
  Outputs outputs;
  NetworkModel network;
  LatencyTargets latency_targets;
  PlatformSettings platform;
  std::vector<City> cities;
  std::vector<NodeType> node_types;
  std::vector<Site> sites;
  std::vector<Link> links;
  std::vector<DemandPoint> demand_points;
  Workload workload;
  Scheduling scheduling;
  EnergySettings energy;
  Growth growth;
  Costs costs;
  std::vector<Outage> outages;

  const City* find_city(std::string_view name) const;
  const NodeType* find_node_type(std::string_view name) const;
  const Site* find_site(std::string_view name) const;
  /// Output directory, with the default applied.
  std::string output_directory() const;
  /// An input path from the scenario, resolved against the scenario file's folder.
  std::string resolve_path(const std::string& path) const;
};

/// Size class of a site with this many standard racks.
SizeClass size_class_for_racks(std::int64_t racks);

}  // namespace suanli::model
