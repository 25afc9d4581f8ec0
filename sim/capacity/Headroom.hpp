// Capacity headroom: what each site, city and the province has built, what is committed to the
// installed servers, what a run used, what is left, and what is left but cannot be used.
//
// Pure computation (no SimGrid, no files written): the future `suanli capacity SCENARIO
// [--from RUN_DIR]` prints, writes and serializes a HeadroomReport.
//
// Resources, per site (units in ResourceHeadroom::unit):
//
//   space      racks  built      site.racks (standard racks)
//                     committed  the installed servers' standard racks, count x max_w(pstate 0) / 2.5 kW
//                                (model::site_figures' occupied_racks)
//                     used       - (runs do not record it)
//   it_power   kW     built      racks x 2.5 kW (model::kStandardRackW)
//                     committed  the installed servers at full load, count x max_w(pstate 0)
//                     used       timeseries it_power_w (IT energy over each sampling interval / interval)
//   cooling    kW     built      rated IT power x 1.0: kW of heat the plant can remove; the scenario has
//              (heat)            no cooling capacity, so the plant is assumed sized for the rated IT power
//                     committed  = it_power's (heat = IT power)
//                     used       = it_power's
//   gpus       GPUs   built      installed GPUs
//                     committed  = built (installed is committed)
//                     used       timeseries gpu_utilization x installed
//   cpu_cores  cores  built      installed cores; committed = built
//                     used       timeseries cpu_utilization x installed
//   uplink     Gb/s   built      site.uplink_bps / 1e9
//                     committed  - (nothing is reserved)
//                     used       - (runs do not record per-site traffic)
//
// remaining:
//   space:              built - committed
//   it_power, cooling:  built - max(committed, used_peak)   (used_peak when a run is given)
//   gpus, cpu_cores:    built - used_peak                   (built when no run is given: usage unknown)
//   uplink:             built
// remaining is negative only when a run drew more than was built (a hand-made or foreign run).
//
// The rack rule (stranded capacity and the binding resource). Adding one standard rack takes one
// rack position (space), 2.5 kW of IT power and 2.5 kW of cooling. With r(x) = remaining(x) /
// per-rack amount(x) for x in {space, it_power, cooling} (rack equivalents):
//   racks that can still be added  A = floor(min over x of max(0, r(x)))
//   stranded(x)                       = max(0, remaining(x)) - A x per-rack amount(x)
//   binding(x)                        = r(x) is the smallest r (within 1e-6 racks; ties all bind)
// So free racks with less than 2.5 kW of IT power or cooling left are stranded space (power
// binds); IT power and cooling at a site with no free rack are stranded (space binds); when all three
// allow the same number of racks, all three bind ("balanced") and only the fraction of a rack
// left over is stranded. When nothing can be added, the resource with the smallest r (the one
// exhausted first, or overdrawn most) binds. gpus, cpu_cores and uplink are outside the rule:
// stranded 0, never binding.
//
// Note that in this model a standard rack *is* 2.5 kW (docs/scenario.md), so from the nameplate
// alone committed space and committed IT power are the same quantity and every site is balanced;
// space and power part only when a run's measured peak exceeds the nameplate (it cannot in a run of
// `suanli run`, whose IT power is at most the servers' full-load power) or when the rule is applied
// to rows built otherwise (apply_rack_rule).
//
// City and province rows (Level::kCity, kProvince): built, committed, stranded, remaining and the
// racks that can be added are sums over their sites (capacity does not move between sites, so a
// city's remaining is not its built minus its peak). used_peak / used_p95 of it_power, cooling,
// gpus and cpu_cores are coincident: the peak and p95 over the sampling instants of the per-instant
// sum over the sites (sites peak at different times, so this is at most the sum of the site peaks,
// which the note gives). binding marks the rack-rule resource(s) binding at the most sites (the note
// says at how many).
#pragma once

#include <array>
#include <cstdint>
#include <nlohmann/json.hpp>
#include <optional>
#include <ostream>
#include <string>
#include <string_view>
#include <vector>

#include "model/Scenario.hpp"

namespace suanli::capacity {

/// One resource of one site, city or the province. Units: `unit`. All amounts are >= 0 except
/// `remaining` (see the file comment).
struct ResourceHeadroom {
  std::string resource;  ///< "space", "it_power", "cooling", "gpus", "cpu_cores" or "uplink"
  std::string unit;      ///< "racks" (standard racks), "kW", "GPUs", "cores" or "Gb/s"
  /// What is built (installed, for gpus and cpu_cores).
  double built = 0;
  /// What the installed servers take at nameplate (see the file comment); nullopt for uplink.
  std::optional<double> committed;
  /// The largest value a run recorded (coincident over the sites for city and province rows);
  /// nullopt without a run, and for space and uplink, which runs do not record.
  std::optional<double> used_peak;
  /// The 95th percentile (nearest rank, over the sampling instants) of the same series.
  std::optional<double> used_p95;
  /// Part of `remaining` that cannot be used to add standard racks because another resource of the
  /// rack rule runs out first (space, it_power, cooling; 0 for the others).
  double stranded = 0;
  /// What is left (see the file comment); `remaining - stranded` is usable for new racks.
  double remaining = 0;
  /// This resource limits the racks that can be added (rack rule; city/province: at the most sites).
  bool binding = false;
  /// How the figures were obtained and any caveat, in English; "; " between clauses.
  std::string note;
};

enum class Level { kSite, kCity, kProvince };
std::string_view to_string(Level level);

/// The resources of one site, city or the province.
struct Headroom {
  Level level = Level::kSite;
  std::string name;       ///< site, city or scenario name
  std::string name_zh;    ///< site or city Chinese name ("" for the province)
  std::string city;       ///< the site's city; the city itself; "" for the province
  std::string kind;       ///< site kind ("core_cluster", ...); "" for city and province
  std::size_t sites = 1;  ///< sites summed (1 for a site)
  /// Standard racks that can still be added (rack rule; a sum of the sites' for city and province).
  std::int64_t racks_addable = 0;
  /// Sites where space / it_power / cooling bind (each 1 or 0 for a site).
  std::array<std::size_t, 3> binding_sites{};
  /// In this order: space, it_power, cooling, gpus, cpu_cores, uplink.
  std::vector<ResourceHeadroom> resources;

  /// The resource named `resource`; std::out_of_range if there is none.
  const ResourceHeadroom& at(std::string_view resource) const;
  ResourceHeadroom& at(std::string_view resource);
};

/// What a run used, read from its timeseries.csv[.gz], one series per scenario site.
struct SiteUsage {
  std::vector<double> time_s;           ///< sampling instants, increasing
  std::vector<double> it_power_w;       ///< mean IT power over the interval ending at time_s
  std::vector<double> cpu_utilization;  ///< allocated / installed cores at time_s, [0, 1]
  std::vector<double> gpu_utilization;  ///< allocated / installed GPUs at time_s, [0, 1]
};

struct RunUsage {
  std::string file;              ///< the timeseries file read
  std::vector<SiteUsage> sites;  ///< indexed like Scenario::sites; every site has samples
  std::size_t rows = 0;          ///< data rows read
};

/// Reads `run_dir`/timeseries.csv, or timeseries.csv.gz when there is no plain one (columns by
/// name: time_s, site, cpu_utilization, gpu_utilization, it_power_w; others ignored). Throws
/// model::UserError naming the folder or file, and the line for a malformed row: a number that does
/// not parse, a utilization outside [0, 1], a negative power, a site not in `scenario` (named), a
/// time_s not after the site's previous one; also when the file has no rows or lacks a site of
/// `scenario` (the run was made from another scenario).
RunUsage read_run_usage(const std::string& run_dir, const model::Scenario& scenario);

/// Applies the rack rule (file comment) to three rows whose built, committed, used_peak and
/// remaining are set: sets their stranded and binding, and returns the racks that can be added.
/// `it_power` and `cooling` are in kW, `space` in standard racks.
std::int64_t apply_rack_rule(ResourceHeadroom& space, ResourceHeadroom& it_power, ResourceHeadroom& cooling);

struct HeadroomReport {
  std::string scenario;       ///< scenario name
  std::string scenario_file;  ///< where it was read from
  std::string run_file;       ///< the timeseries read; "" for nameplate figures only
  std::size_t run_rows = 0;
  std::vector<Headroom> sites;   ///< in scenario order
  std::vector<Headroom> cities;  ///< in scenario order (a city without sites: all figures 0)
  Headroom province;
};

/// The headroom of every site, city and the province; with `run`, used figures from it.
HeadroomReport compute_headroom(const model::Scenario& scenario, const RunUsage* run = nullptr);

/// {"scenario", "file", "run": {"timeseries", "rows"} or null, "rack_rule", "province", "cities": [...],
///  "sites": [...]}; each entity {"level", "name", "name_zh", "city", "kind" (sites
///  only), "sites", "racks_addable", "resources": {"space": {...}, ...}} with every ResourceHeadroom
///  field but `resource` (null for nullopt; raw doubles, not rounded).
nlohmann::json headroom_json(const HeadroomReport& report);

/// One row per (level, name, resource): the province, then the cities, then the sites, resources in
/// Headroom::resources order. Columns level,name,name_zh,city,resource,unit,built,committed,used_peak,
/// used_p95,stranded,remaining,binding,note; numbers with 3 decimals (io::format_fixed), an
/// empty field for nullopt, binding 1 or 0; RFC 4180 escaping (io::csv_escape); UTF-8, "\n"
/// line ends. With `bom`, the UTF-8 byte order mark EF BB BF first (Excel then reads the Chinese
/// names as UTF-8).
std::string headroom_csv(const HeadroomReport& report, bool bom);

/// A table for the terminal: per city its sites (edge DCs summed into one line per city unless
/// `verbose`) and the city line, the binding resource of each; then the province line and its
/// figures per resource.
void print_headroom(std::ostream& out, const HeadroomReport& report, bool verbose);

}  // namespace suanli::capacity
