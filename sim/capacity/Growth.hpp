// Growth and exhaustion dates: month by month over the scenario's growth horizon, when each site,
// city and the province first runs out of GPUs, CPU cores, rack space, IT power or cooling, first
// misses a target, and what the network costs each year. Pure (no SimGrid); `suanli capacity
// --growth` prints it. The method, its approximations and their validation: docs/capacity.md.
//
// The fast path, in short:
//  1. Offered load of each class in month 0: the scenario's own job stream over the horizon (the
//     same arrivals a run replays, same seed), summed as resource-seconds (weight x run time x cores,
//     and x GPUs) over the class's arrival window (arrivals.until_s, else the horizon); a cloud
//     service holds its cores (services x cores). Jobs with GPUs load the GPU hosts, the others the
//     CPU-only hosts.
//  2. Month m multiplies a class's load by (1 + per_year)^(m / 12) (growth.demand).
//  3. The load is spread over the sites open at m where the class may run and that have the pool:
//     a class placed `nearest` sends each origin's load to its nearest such site within the budget
//     (as the engine's nearest policy does while that site has room); every other class is spread
//     in proportion to the sites' capacity in that pool (what load-balancing policies converge to).
//  4. A pool has run out when its offered load exceeds growth.max_utilization of its capacity
//     (GPUs: GPU hosts; CPU cores: CPU-only hosts). Beyond that, the operator adds servers of the
//     pool's mix to stay at max_utilization: racks needed = the pool's installed racks x
//     load / (max_utilization x capacity). Space runs out when the racks needed exceed the racks
//     built, IT power when their full-load power exceeds the UPS capacity, cooling when it exceeds
//     the cooling capacity.
//  5. Energy: IT power of the servers (installed or needed, at most what the racks hold) at their
//     utilization, linear between idle and full load; facility energy of each calendar month from
//     the facility model over that month's hours of the weather year at that constant IT load
//     (the `suanli pue` model, without a diurnal profile); the annual PUE of a month is the PUE of a
//     weather year at that month's load.
//  6. Latency circle (`suanli check`), recomputed whenever sites open: a site misses it when it is
//     beyond its city's budget from the city's hub, a city when any of its checks fails
//     (CityCircle::within), the province when the circle has any violation.
//  7. Latency budget (classes of kind latency_critical): the share of the class's requests whose
//     origin has an open site within the budget, and whose wait there stays within what the budget
//     leaves after the round trip, P(wait <= budget - rtt) of an M/M/c queue (Erlang C) with c the
//     site's CPU cores and the site's offered core load (a stricter figure than a run's
//     budget_met, which counts the network round trip only).
// City and province rows sum their sites' loads, capacities and racks needed. Their GPUs or CPU cores
// run out when, for some class, the city's (province's) sites where that class may run are together
// above max_utilization (as if that class's load could move freely between them); capacity only
// other classes may use does not count.
#pragma once

#include <cstdint>
#include <nlohmann/json.hpp>
#include <optional>
#include <ostream>
#include <string>
#include <vector>

#include "capacity/Headroom.hpp"
#include "energy/AnnualPue.hpp"
#include "energy/Conditions.hpp"
#include "model/Scenario.hpp"

namespace suanli::capacity {

/// What can run out or be missed, in report order.
enum class GrowthLimit { kGpus, kCpuCores, kSpace, kItPower, kCooling, kPue, kOccupancy, kCircle, kBudget };
inline constexpr std::size_t kGrowthLimits = 9;
std::string_view to_string(GrowthLimit v);

/// One month of one site, city or the province.
struct GrowthMonth {
  double gpu_load = 0, gpus = 0;    ///< offered GPUs busy, GPUs installed (GPU hosts)
  double core_load = 0, cores = 0;  ///< offered cores held, cores installed (CPU-only hosts)
  /// Cores busy: cores held x the busy share of what holds them (cloud services hold their cores at
  /// their mean utilization). Utilization is busy / installed, as a run measures it (docs/engine.md).
  double core_busy = 0;
  double racks_needed = 0;  ///< standard racks the servers needed take (>= installed)
  double racks_built = 0;
  double it_kw_needed = 0;  ///< full-load power of the servers needed, kW
  double ups_kw = 0, cooling_kw = 0;
  double it_kwh = 0, facility_kwh = 0;  ///< this calendar month
  double it_w = 0;                      ///< mean IT power of the month, W
  double annual_pue = 0;                ///< PUE of a weather year at this month's load (NaN: no IT load)
  double budget_attainment = 1;         ///< latency-critical requests within budget (1 without such classes)
  double budget_weight = 0;             ///< requests/s of latency-critical classes counted
  double electricity_cost = 0, carbon_kg = 0, carbon_cost = 0, capital_cost = 0;
};

/// Sums over one year of the horizon (months 12y .. 12y + 11) and the state at its last month.
struct GrowthYear {
  std::int64_t year = 0;  ///< calendar year of its first month
  double it_kwh = 0, facility_kwh = 0, electricity_cost = 0, carbon_kg = 0, carbon_cost = 0, capital_cost = 0;
  double tco() const { return electricity_cost + carbon_cost + capital_cost; }
  double gpu_utilization = 0,
         cpu_utilization = 0;  ///< busy / installed at the year's last month (NaN: no such pool)
  double racks_needed = 0, racks_built = 0, budget_attainment = 1;
};
/// The years of an entity's horizon (a partial last year when horizon_months is not a multiple of 12).
std::vector<GrowthYear> growth_years(const std::string& start, const std::vector<GrowthMonth>& months);

/// A site, city or the province over the horizon.
struct GrowthEntity {
  Level level = Level::kSite;
  std::string name, name_zh, city;
  std::vector<GrowthMonth> months;  ///< 0 .. horizon_months
  /// First month each GrowthLimit is crossed (nullopt: not within the horizon). kOccupancy is the
  /// first month the occupancy target is *reached*; the others the first month run out or missed.
  std::array<std::optional<std::int64_t>, kGrowthLimits> first{};
  std::array<bool, kGrowthLimits> applicable{};  ///< false: no such resource or no such target here
  double pue_limit = 0, occupancy_limit = 0;     ///< 0: target not applicable
};

struct GrowthReport {
  std::string scenario;
  std::string start;  ///< YYYY-MM of month 0
  std::int64_t horizon_months = 0;
  double max_utilization = 0;
  double min_budget_attainment = 0;
  std::string currency;
  std::vector<GrowthEntity> sites, cities;
  GrowthEntity province;
  std::vector<std::string> notes;  ///< approximations that applied (e.g. a class without eligible site)
};

/// "YYYY-MM" of month m after `start` (YYYY-MM).
std::string month_label(const std::string& start, std::int64_t month);

/// Requests within the latency budget of an M/M/c queue: P(wait <= t) with c servers, offered load
/// a = arrival rate x mean service (in servers), mean service time `service_s`. 0 when a >= c.
double erlang_c_wait_within(double c, double a, double service_s, double t_s);

/// The fast path over the scenario's growth section (model::Growth defaults when it has none).
/// `min_budget_attainment` is the target share of latency-critical requests within their budget.
GrowthReport compute_growth(const model::Scenario& scenario, const energy::SiteWeather& weather,
                            const energy::GridCarbon& carbon, double min_budget_attainment = 0.99);

/// The IT load the scenario's workload implies, per site: the mean IT power of month 0 of the growth
/// fast path (the classes' own arrivals and services at the growth start, spread over the sites each
/// class may use as the engine's policies do; servers at their utilization, linear between idle and
/// full load). The one load model `suanli pue` and `suanli capacity` use by default.
struct WorkloadItLoad {
  std::vector<double> site_it_w;  ///< per scenario site, W
  std::string month;              ///< YYYY-MM of month 0
  double total_w = 0, rated_w = 0;
  /// Offered load the sites cannot serve: per site the cores (GPUs) busy beyond those installed,
  /// summed (a failed site's demand that the others cannot take shows here).
  double cores_beyond = 0, gpus_beyond = 0;
  std::vector<std::string> notes;  ///< approximations of the fast path that applied
};
WorkloadItLoad workload_it_load(const model::Scenario& scenario, const energy::SiteWeather& weather,
                                const energy::GridCarbon& carbon);

/// The IT load of annual figures (`suanli pue`, capacity what-if and failures): `it_load` x rated when
/// given (--it-load), else what the scenario's workload implies (workload_it_load), else -- a scenario
/// without workload -- 60 % of rated, assumed; its source and a description in words included. When the
/// load is the workload's, `workload` (if given) receives it, so a caller needs no second fast path.
energy::ItLoadProfile annual_it_load(const model::Scenario& scenario, const energy::SiteWeather& weather,
                                     const energy::GridCarbon& carbon, std::optional<double> it_load,
                                     double diurnal_amplitude = 0, WorkloadItLoad* workload = nullptr);

/// The scenario as it stands at month `month` of its growth: Poisson rates and cloud services
/// multiplied by the class's growth, traces replayed faster (time_scale divided by it), additions of
/// months <= `month` made, sites opening later removed. model::UserError when a class would be left
/// with no site.
model::Scenario scenario_at_month(const model::Scenario& scenario, std::int64_t month);

/// Exhaustion dates per city and the province (sites too with `verbose`), then a table per year.
void print_growth(std::ostream& out, const GrowthReport& report, bool verbose);
nlohmann::json growth_json(const GrowthReport& report);
/// One row per (level, name, limit) that applies: level,name,name_zh,city,limit,first_month,date (both
/// empty when not within the horizon). UTF-8, optional BOM.
std::string growth_csv(const GrowthReport& report, bool bom);
/// The total cost of ownership per (level, name, year): level,name,name_zh,city,year,it_mwh,
/// facility_mwh,pue,electricity_cost,carbon_t,carbon_cost,capital_cost,tco.
std::string growth_costs_csv(const GrowthReport& report, bool bom);

}  // namespace suanli::capacity
