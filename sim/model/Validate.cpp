// The cross-field validation pass (runs after the JSON shape and types were checked).
#include "model/Validate.hpp"

#include <algorithm>
#include <cmath>
#include <filesystem>
#include <map>
#include <numeric>
#include <sstream>

#include "io/Format.hpp"
#include "model/Names.hpp"

namespace suanli::model {

bool has_control_character(std::string_view text) {
  for (std::size_t i = 0; i < text.size(); ++i) {
    const auto c = static_cast<unsigned char>(text[i]);
    if (c < 0x20 || c == 0x7F) return true;
    // C1 controls U+0080..U+009F (UTF-8 C2 80..C2 9F): U+009B is a terminal's CSI.
    if (c == 0xC2 && i + 1 < text.size() && static_cast<unsigned char>(text[i + 1]) < 0xA0) return true;
  }
  return false;
}

std::string name_problem(const std::string& n) {
  if (n.empty()) return "needs a non-empty name";
  if (n.find_first_not_of(" \t") == std::string::npos) return "needs a name that is not only spaces";
  if (has_control_character(n))
    return "name may not contain control characters (a newline, a NUL byte, an escape)";
  if (n.size() > 200) return "name is longer than 200 bytes";
  return "";
}

namespace {

class Checker {
 public:
  explicit Checker(const Scenario& s) : s_(s) {}

  void error(const std::string& path, const std::string& message) {
    errors_.emplace_back(s_.source_file, path, message);
  }

  void positive(const std::string& path, double v) {
    if (!(v > 0)) error(path, "expected a number > 0, got " + io::format_general(v));
  }
  void non_negative(const std::string& path, double v) {
    if (!(v >= 0)) error(path, "expected a number >= 0, got " + io::format_general(v));
  }
  void coordinates(const std::string& path, double lat, double lon) {
    if (lat < -90 || lat > 90)
      error(path + "/lat_deg", "expected a latitude in [-90, 90], got " + io::format_general(lat));
    if (lon < -180 || lon > 180)
      error(path + "/lon_deg", "expected a longitude in [-180, 180], got " + io::format_general(lon));
  }
  void name(const std::string& path, const std::string& n, const char* what) {
    if (const auto problem = name_problem(n); !problem.empty())
      error(path + "/name", std::string("a ") + what + " " + problem);
  }

  /// A data file the scenario names: it must be a regular file (a FIFO or a device would block or
  /// never end).
  void input_file(const std::string& path, const std::string& file, const char* what) {
    namespace fs = std::filesystem;
    std::error_code ec;
    const auto status = fs::status(file, ec);
    if (fs::is_regular_file(status)) return;
    if (fs::exists(status) && !fs::is_directory(status))
      error(path, std::string(what) + " file " + model::quoted(file) +
                      " is not a regular file (a device, pipe or socket)");
    else
      error(path, std::string("no such ") + what + " file " + model::quoted(file));
  }

  std::vector<UserError> take() { return std::move(errors_); }

 private:
  const Scenario& s_;
  std::vector<UserError> errors_;
};

/// Union-find over cities and sites, for the connectivity rule.
class Components {
 public:
  explicit Components(std::size_t n) : parent_(n) { std::iota(parent_.begin(), parent_.end(), 0); }
  std::size_t find(std::size_t x) {
    while (parent_[x] != x) x = parent_[x] = parent_[parent_[x]];
    return x;
  }
  void join(std::size_t a, std::size_t b) { parent_[find(a)] = find(b); }

 private:
  std::vector<std::size_t> parent_;
};

}  // namespace

double estimated_timeseries_rows(const Scenario& s) {
  return std::floor(s.horizon_s / s.outputs.sampling_interval_s) * static_cast<double>(s.sites.size());
}

std::vector<UserError> validate(const Scenario& s) {
  Checker c(s);

  c.positive("/horizon_s", s.horizon_s);
  if (s.horizon_s > kMaxHorizonS)
    c.error("/horizon_s", "expected at most " + io::format_general(kMaxHorizonS) + " s (10 years), got " +
                              io::format_general(s.horizon_s));
  c.positive("/outputs/sampling_interval_s", s.outputs.sampling_interval_s);
  if (s.outputs.sampling_interval_s > 0 && s.outputs.sampling_interval_s < kMinSamplingIntervalS)
    c.error("/outputs/sampling_interval_s", "expected at least " + io::format_general(kMinSamplingIntervalS) +
                                                " s, got " +
                                                io::format_general(s.outputs.sampling_interval_s));
  if (s.outputs.max_timeseries_rows < 1)
    c.error("/outputs/max_timeseries_rows",
            "expected an integer >= 1, got " + std::to_string(s.outputs.max_timeseries_rows));
  else if (s.horizon_s > 0 && s.horizon_s <= kMaxHorizonS &&
           s.outputs.sampling_interval_s >= kMinSamplingIntervalS) {
    const double rows = estimated_timeseries_rows(s);
    const auto whole = [](double v) {
      return v < 1e18 ? std::to_string(static_cast<std::int64_t>(v)) : io::format_general(v);
    };
    if (rows > static_cast<double>(s.outputs.max_timeseries_rows))
      c.error("/outputs/sampling_interval_s",
              "a run would write about " + whole(rows) + " rows of timeseries.csv (" +
                  whole(std::floor(s.horizon_s / s.outputs.sampling_interval_s)) + " samples x " +
                  std::to_string(s.sites.size()) + " sites); the limit is " +
                  std::to_string(s.outputs.max_timeseries_rows) +
                  ": sample less often, shorten horizon_s, or raise /outputs/max_timeseries_rows (run "
                  "--max-rows)");
  }
  if (s.scheduling.backfill_window < 1 || s.scheduling.backfill_window > 1000000)
    c.error("/scheduling/backfill_window",
            "expected an integer in [1, 1000000], got " + std::to_string(s.scheduling.backfill_window));
  c.non_negative("/scheduling/power/idle_off_s", s.scheduling.power.idle_off_s);
  if (!(s.scheduling.power.reserve_fraction >= 0 && s.scheduling.power.reserve_fraction <= 1))
    c.error("/scheduling/power/reserve_fraction",
            "expected a number in [0, 1], got " + io::format_general(s.scheduling.power.reserve_fraction));
  c.positive("/network/fiber_latency_s_per_km", s.network.fiber_latency_s_per_km);
  if (!(s.network.route_factor >= 1.0))
    c.error("/network/route_factor",
            "expected a route factor >= 1 (fiber is never shorter than the straight line), got " +
                io::format_general(s.network.route_factor));
  c.non_negative("/network/hop_delay_s", s.network.hop_delay_s);
  c.positive("/network/intercity_bandwidth_bps", s.network.intercity_bandwidth_bps);
  c.positive("/latency_targets/intra_city_s", s.latency_targets.intra_city_s);
  c.positive("/latency_targets/inter_central_city_s", s.latency_targets.inter_central_city_s);
  if (s.platform.pod_racks < 1) c.error("/platform/pod_racks", "expected an integer >= 1");
  c.non_negative("/platform/lan_latency_s", s.platform.lan_latency_s);
  c.positive("/platform/tcp_gamma_bytes", s.platform.tcp_gamma_bytes);

  if (s.cities.empty()) c.error("/cities", "at least one city is required");
  if (s.sites.empty()) c.error("/sites", "at least one site is required");

  // Names: cities and sites share one namespace (links name either).
  std::map<std::string, std::string, std::less<>> places;  // name -> path of its first definition
  auto unique_place = [&](const std::string& path, const std::string& n) {
    if (n.empty()) return;
    auto [it, inserted] = places.emplace(n, path);
    if (!inserted)
      c.error(path + "/name", "duplicate name \"" + n + "\" (already used at " + it->second + ")");
  };

  for (std::size_t i = 0; i < s.cities.size(); ++i) {
    const auto& city = s.cities[i];
    const std::string p = "/cities/" + std::to_string(i);
    c.name(p, city.name, "city");
    if (has_control_character(city.name_zh))
      c.error(p + "/name_zh", "a name may not contain control characters");
    unique_place(p, city.name);
    c.coordinates(p, city.lat_deg, city.lon_deg);
  }

  std::map<std::string, std::size_t, std::less<>> node_type_index;
  for (std::size_t i = 0; i < s.node_types.size(); ++i) {
    const auto& t = s.node_types[i];
    const std::string p = "/node_types/" + std::to_string(i);
    c.name(p, t.name, "node type");
    if (!t.name.empty() && !node_type_index.emplace(t.name, i).second)
      c.error(p + "/name", "duplicate node type name \"" + t.name + "\"");
    if (t.cores < 1 || t.cores > kMaxCoresPerServer)
      c.error(p + "/cores", "expected 1 to " + std::to_string(kMaxCoresPerServer) + " cores, got " +
                                std::to_string(t.cores));
    if (t.pstates.empty()) c.error(p + "/pstates", "at least one performance state is required");
    for (std::size_t k = 0; k < t.pstates.size(); ++k) {
      const auto& ps = t.pstates[k];
      const std::string pp = p + "/pstates/" + std::to_string(k);
      c.positive(pp + "/core_speed_flops", ps.core_speed_flops);
      if (std::isnan(ps.idle_w) || std::isnan(ps.max_w)) {
        c.error(pp + (std::isnan(ps.idle_w) ? "/idle_w" : "/max_w"),
                k == 0 ? "required field is missing (or give the node type a power_curve_file)"
                       : "required field is missing");
        continue;
      }
      c.non_negative(pp + "/idle_w", ps.idle_w);
      c.positive(pp + "/max_w", ps.max_w);
      if (ps.idle_w > ps.max_w)
        c.error(pp + "/idle_w", "idle power " + io::format_general(ps.idle_w) + " W exceeds max_w " +
                                    io::format_general(ps.max_w) + " W");
      if (k > 0 && ps.core_speed_flops > t.pstates[k - 1].core_speed_flops)
        c.error(pp + "/core_speed_flops", "performance states must be listed fastest first");
    }
    c.non_negative(p + "/off_w", t.off_w);
    c.non_negative(p + "/boot_s", t.boot_s);
    c.non_negative(p + "/shutdown_s", t.shutdown_s);
    if (t.boot_w) c.non_negative(p + "/boot_w", *t.boot_w);
    if (t.shutdown_w) c.non_negative(p + "/shutdown_w", *t.shutdown_w);
    if (t.gpus < 0) c.error(p + "/gpus", "expected an integer >= 0, got " + std::to_string(t.gpus));
    c.non_negative(p + "/gpu_speed_flops", t.gpu_speed_flops);
    if (t.gpus > t.cores)
      c.error(p + "/gpus",
              "a server has at least as many cores as GPUs (the engine maps GPU shares to cores), got " +
                  std::to_string(t.gpus) + " GPUs and " + std::to_string(t.cores) + " cores");
    if (t.gpus > 0 && !(t.gpu_speed_flops > 0))
      c.error(p + "/gpu_speed_flops", "servers with gpus need gpu_speed_flops > 0");
    c.non_negative(p + "/memory_gib", t.memory_gib);
    c.positive(p + "/nic_bps", t.nic_bps);
    if (t.servers_per_rack && *t.servers_per_rack < 1)
      c.error(p + "/servers_per_rack",
              "expected an integer >= 1, got " + std::to_string(*t.servers_per_rack));
  }

  for (std::size_t i = 0; i < s.sites.size(); ++i) {
    const auto& site = s.sites[i];
    const std::string p = "/sites/" + std::to_string(i);
    c.name(p, site.name, "site");
    if (has_control_character(site.name_zh))
      c.error(p + "/name_zh", "a name may not contain control characters");
    unique_place(p, site.name);
    if (!s.find_city(site.city))
      c.error(p + "/city", "unknown city \"" + site.city + "\" (cities are listed in /cities)");
    c.coordinates(p, site.lat_deg, site.lon_deg);
    if (site.racks < 0)
      c.error(p + "/racks", "expected a non-negative number of racks, got " + std::to_string(site.racks));
    if (site.racks > kMaxRacksPerSite)
      c.error(p + "/racks", "expected at most " + std::to_string(kMaxRacksPerSite) + " racks, got " +
                                std::to_string(site.racks));
    if (site.kind == SiteKind::kEdgeDc && site.racks > 100)
      c.error(p + "/racks", "an edge_dc has at most 100 standard racks, got " + std::to_string(site.racks) +
                                " (use kind core_cluster for a larger site)");
    double occupied = 0;
    for (std::size_t k = 0; k < site.nodes.size(); ++k) {
      const auto& g = site.nodes[k];
      const std::string gp = p + "/nodes/" + std::to_string(k);
      const auto it = node_type_index.find(g.type);
      if (it == node_type_index.end()) {
        std::string valid;
        for (const auto& [n, unused] : node_type_index) valid += (valid.empty() ? "" : ", ") + n;
        c.error(gp + "/type", "unknown node type \"" + g.type + "\" (valid: " + valid + ")");
      } else {
        occupied += static_cast<double>(g.count) * s.node_types[it->second].standard_racks_per_server();
      }
      if (g.count < 0)
        c.error(gp + "/count", "expected a non-negative server count, got " + std::to_string(g.count));
      if (g.count > kMaxServersPerGroup)
        c.error(gp + "/count", "expected at most " + std::to_string(kMaxServersPerGroup) + " servers, got " +
                                   std::to_string(g.count));
    }
    if (site.racks >= 0 && occupied > static_cast<double>(site.racks) * (1 + 1e-9))
      c.error(p + "/nodes", "installed servers need " + io::format_general(std::ceil(occupied)) +
                                " standard racks (2.5 kW each at full load) but the site has " +
                                std::to_string(site.racks) + " racks");
    const auto& cool = site.cooling;
    if (cool.air_share < 0 || cool.air_share > 1)
      c.error(p + "/cooling/air_share",
              "expected a share in [0, 1], got " + io::format_general(cool.air_share));
    if (cool.liquid_share < 0 || cool.liquid_share > 1)
      c.error(p + "/cooling/liquid_share",
              "expected a share in [0, 1], got " + io::format_general(cool.liquid_share));
    if (std::fabs(cool.air_share + cool.liquid_share - 1.0) > 1e-6)
      c.error(p + "/cooling", "air_share + liquid_share must be 1, got " +
                                  io::format_general(cool.air_share) + " + " +
                                  io::format_general(cool.liquid_share));
    if (!(cool.design_pue >= 1.0))
      c.error(p + "/cooling/design_pue", "a PUE is at least 1, got " + io::format_general(cool.design_pue));
    c.positive(p + "/cooling/chiller_cop", cool.chiller_cop);
    const auto plant = [&](const std::string& pp, const Plant& pl) {
      if (pl.capacity_w) c.positive(pp + "/capacity_w", *pl.capacity_w);
      if (pl.units < 0) c.error(pp + "/units", "expected an integer >= 0, got " + std::to_string(pl.units));
      if (pl.redundant_units < 0 || (pl.units > 0 && pl.redundant_units >= pl.units))
        c.error(pp + "/redundant_units",
                "expected spare units in [0, units - 1] (N+1: units N + 1, redundant_units 1), got " +
                    std::to_string(pl.redundant_units));
    };
    plant(p + "/cooling", cool.plant);
    plant(p + "/ups", site.ups);
    c.positive(p + "/cooling/liquid_cop", cool.liquid_cop);
    c.positive(p + "/uplink_bps", site.uplink_bps);
    if (site.metro_fiber_km) c.non_negative(p + "/metro_fiber_km", *site.metro_fiber_km);
  }

  for (std::size_t i = 0; i < s.links.size(); ++i) {
    const auto& l = s.links[i];
    const std::string p = "/links/" + std::to_string(i);
    for (const auto& [field, endpoint] : {std::pair{"/from", &l.from}, std::pair{"/to", &l.to}})
      if (!places.count(*endpoint)) c.error(p + field, "unknown city or site \"" + *endpoint + "\"");
    if (l.from == l.to) c.error(p + "/to", "a link joins two different places, got \"" + l.to + "\" twice");
    if (l.fiber_km) c.non_negative(p + "/fiber_km", *l.fiber_km);
    if (l.bandwidth_bps) c.positive(p + "/bandwidth_bps", *l.bandwidth_bps);
  }

  std::map<std::string, std::size_t, std::less<>> demand_names;
  for (std::size_t i = 0; i < s.demand_points.size(); ++i) {
    const auto& d = s.demand_points[i];
    const std::string p = "/demand_points/" + std::to_string(i);
    c.name(p, d.name, "demand point");
    if (!d.name.empty() && !demand_names.emplace(d.name, i).second)
      c.error(p + "/name", "duplicate demand point name \"" + d.name + "\"");
    if (!s.find_city(d.city)) c.error(p + "/city", "unknown city \"" + d.city + "\"");
    c.coordinates(p, d.lat_deg, d.lon_deg);
    c.positive(p + "/weight", d.weight);
  }

  std::map<std::string, std::size_t, std::less<>> class_names;
  const auto site_has_gpus = [&](const Site& site) {
    for (const auto& g : site.nodes)
      for (const auto& t : s.node_types)
        if (t.name == g.type && t.gpus > 0 && g.count > 0) return true;
    return false;
  };
  for (std::size_t i = 0; i < s.workload.classes.size(); ++i) {
    const auto& k = s.workload.classes[i];
    const std::string p = "/workload/classes/" + std::to_string(i);
    c.name(p, k.name, "job class");
    if (!k.name.empty() && !class_names.emplace(k.name, i).second)
      c.error(p + "/name", "duplicate job class name \"" + k.name + "\"");
    for (std::size_t j = 0; j < k.sites.size(); ++j)
      if (!s.find_site(k.sites[j]))
        c.error(p + "/sites/" + std::to_string(j), "unknown site \"" + k.sites[j] + "\"");
    for (std::size_t j = 0; j < k.site_kinds.size(); ++j) {
      const auto& v = k.site_kinds[j];
      if (!value_named<SiteKind>(v))
        c.error(p + "/site_kinds/" + std::to_string(j),
                "expected one of " + joined_names<SiteKind>() + ", got \"" + v + "\"");
    }
    for (std::size_t j = 0; j < k.origins.size(); ++j)
      if (!s.find_city(k.origins[j]))
        c.error(p + "/origins/" + std::to_string(j), "unknown city \"" + k.origins[j] + "\"");
    if (k.deferrable && !(k.kind == JobKind::kAiTraining && k.deadline_factor > 0))
      c.error(p + "/deferrable", "only ai_training classes with a deadline_factor > 0 can be deferred");
    if (k.origin_level == OriginLevel::kDemandPoint && s.demand_points.empty())
      c.error(p + "/origin_level", "origin_level demand_point needs demand_points in the scenario");
    const auto& a = k.arrivals;
    if (k.kind != JobKind::kCloudService) {
      if (a.process != ArrivalProcess::kTrace) c.positive(p + "/arrivals/rate_per_s", a.rate_per_s);
      if (a.warm_start && a.process == ArrivalProcess::kTrace)
        c.error(
            p + "/arrivals/warm_start",
            "a replayed trace cannot start warm (what ran before its first record is unknown): use process "
            "\"resample\" to draw its jobs at a rate, or leave warm_start out");
      if (a.diurnal_amplitude < 0 || a.diurnal_amplitude > 1)
        c.error(p + "/arrivals/diurnal_amplitude",
                "expected a number in [0, 1], got " + io::format_general(a.diurnal_amplitude));
      c.positive(p + "/arrivals/time_scale", a.time_scale);
      c.non_negative(p + "/arrivals/start_s", a.start_s);
      c.non_negative(p + "/arrivals/until_s", a.until_s);
      if (a.process != ArrivalProcess::kPoisson) {
        const auto path = s.resolve_path(a.file);
        c.input_file(p + "/arrivals/file", path, "trace");
        const bool fits = (a.format == TraceFormat::kSwf && k.kind == JobKind::kHpcBatch) ||
                          (a.format == TraceFormat::kAzureInference && k.kind == JobKind::kAiInference) ||
                          (a.format == TraceFormat::kAlibabaGpu && k.kind == JobKind::kAiTraining);
        if (!fits)
          c.error(p + "/arrivals/format", "a " + std::string(to_string(a.format)) + " trace cannot feed a " +
                                              std::string(to_string(k.kind)) +
                                              " class (swf: hpc_batch, azure_inference: ai_inference, "
                                              "alibaba_gpu: ai_training)");
      }
    }
    c.positive(p + "/service_s", k.service_s);
    if (k.cores < 0) c.error(p + "/cores", "expected an integer >= 0, got " + std::to_string(k.cores));
    if (k.gpus < 0) c.error(p + "/gpus", "expected an integer >= 0, got " + std::to_string(k.gpus));
    if (k.cores + k.gpus <= 0) c.error(p + "/cores", "a job needs at least one core or one GPU");
    c.non_negative(p + "/budget_s", k.budget_s);
    c.non_negative(p + "/input_bytes", k.input_bytes);
    c.non_negative(p + "/simulated_rate_per_s", k.simulated_rate_per_s);
    if (k.deadline_factor != 0 && k.deadline_factor < 1)
      c.error(p + "/deadline_factor",
              "expected 0 (no deadline) or a factor >= 1, got " + io::format_general(k.deadline_factor));
    c.non_negative(p + "/seconds_per_token", k.seconds_per_token);
    c.non_negative(p + "/prefill_seconds_per_token", k.prefill_seconds_per_token);
    if (k.cores_per_proc < 1) c.error(p + "/cores_per_proc", "expected an integer >= 1");
    if (k.services < 0) c.error(p + "/services", "expected an integer >= 0");
    if (!(k.utilization_mean > 0 && k.utilization_mean <= 1))
      c.error(p + "/utilization_mean",
              "expected a utilization in (0, 1], got " + io::format_general(k.utilization_mean));
    if (k.gpus > 0 && std::none_of(s.sites.begin(), s.sites.end(), site_has_gpus))
      c.error(p + "/gpus", "class \"" + k.name + "\" needs GPUs but no site has servers with gpus");
  }

  // Growth, costs and outages.
  if (s.growth.present) {
    const auto& g = s.growth;
    const std::string p = "/growth";
    const auto dash = g.start.find('-');
    bool start_ok = g.start.size() == 7 && dash == 4;
    if (start_ok) {
      const auto year = std::atoi(g.start.substr(0, 4).c_str()), month = std::atoi(g.start.substr(5).c_str());
      start_ok = year >= 1900 && year <= 2200 && month >= 1 && month <= 12 &&
                 std::all_of(g.start.begin(), g.start.end(),
                             [](char ch) { return ch == '-' || (ch >= '0' && ch <= '9'); });
    }
    if (!start_ok)
      c.error(p + "/start", "expected a month as YYYY-MM, e.g. 2025-01, got \"" + g.start + "\"");
    if (g.horizon_months < 1 || g.horizon_months > 600)
      c.error(p + "/horizon_months", "expected 1 to 600 months, got " + std::to_string(g.horizon_months));
    if (!(g.max_utilization > 0 && g.max_utilization <= 1))
      c.error(p + "/max_utilization",
              "expected a share in (0, 1], got " + io::format_general(g.max_utilization));
    std::map<std::string, std::size_t, std::less<>> rated;
    for (std::size_t i = 0; i < g.demand.size(); ++i) {
      const auto& r = g.demand[i];
      const std::string rp = p + "/demand/" + std::to_string(i);
      if (r.job_class != "*" && !class_names.count(r.job_class)) {
        std::string valid;
        for (const auto& [n, unused] : class_names) valid += (valid.empty() ? "" : ", ") + n;
        c.error(rp + "/class", "unknown job class \"" + r.job_class + "\" (valid: " + valid +
                                   ", or * for every other class)");
      }
      if (!rated.emplace(r.job_class, i).second)
        c.error(rp + "/class", "class \"" + r.job_class + "\" has two growth rates");
      if (!(r.per_year > -1 && r.per_year <= 10))
        c.error(rp + "/per_year", "expected an annual growth in (-1, 10] (0.4 is +40 % a year), got " +
                                      io::format_general(r.per_year));
    }
    for (std::size_t i = 0; i < g.additions.size(); ++i) {
      const auto& a = g.additions[i];
      const std::string ap = p + "/additions/" + std::to_string(i);
      if (a.month < 0 || a.month > g.horizon_months)
        c.error(ap + "/month", "expected a month in [0, horizon_months = " +
                                   std::to_string(g.horizon_months) + "], got " + std::to_string(a.month));
      if (!s.find_site(a.site))
        c.error(ap + "/site", "unknown site \"" + a.site + "\" (sites are listed in /sites)");
      if (a.racks < 0 || a.racks > kMaxRacksPerSite)
        c.error(ap + "/racks", "expected 0 to " + std::to_string(kMaxRacksPerSite) + " racks, got " +
                                   std::to_string(a.racks));
      for (std::size_t k = 0; k < a.nodes.size(); ++k) {
        const std::string np = ap + "/nodes/" + std::to_string(k);
        if (!node_type_index.count(a.nodes[k].type))
          c.error(np + "/type", "unknown node type \"" + a.nodes[k].type + "\"");
        if (a.nodes[k].count < 0 || a.nodes[k].count > kMaxServersPerGroup)
          c.error(np + "/count", "expected 0 to " + std::to_string(kMaxServersPerGroup) + " servers, got " +
                                     std::to_string(a.nodes[k].count));
      }
    }
  }
  {
    const auto& co = s.costs;
    c.non_negative("/costs/capex_per_rack", co.capex_per_rack);
    c.non_negative("/costs/capex_per_cooling_kw", co.capex_per_cooling_kw);
    c.positive("/costs/depreciation_years", co.depreciation_years);
    c.non_negative("/costs/carbon_price_per_t", co.carbon_price_per_t);
  }
  for (std::size_t i = 0; i < s.outages.size(); ++i) {
    const auto& o = s.outages[i];
    const std::string op = "/outages/" + std::to_string(i);
    const auto* failed_site = s.find_site(o.site);
    if (!failed_site) c.error(op + "/site", "unknown site \"" + o.site + "\" (sites are listed in /sites)");
    if (failed_site && o.what != OutageKind::kSite) {
      const auto& plant = o.what == OutageKind::kUps ? failed_site->ups : failed_site->cooling.plant;
      const std::string field = o.what == OutageKind::kUps ? "ups/units" : "cooling/units";
      if (plant.units <= 0)
        c.error(op + "/what", "site \"" + o.site + "\" has no " + std::string(to_string(o.what)) +
                                  " units (set its " + field + ")");
      else if (o.units < 1 || o.units > plant.units)
        c.error(op + "/units", "expected 1 to " + std::to_string(plant.units) + " failed units, got " +
                                   std::to_string(o.units));
    }
    c.non_negative(op + "/start_s", o.start_s);
    if (!(o.end_s > o.start_s))
      c.error(op + "/end_s", "the repair must come after the outage: expected end_s > start_s = " +
                                 io::format_general(o.start_s) + ", got " + io::format_general(o.end_s));
    for (std::size_t j = 0; j < i; ++j)
      if (s.outages[j].site == o.site && o.start_s < s.outages[j].end_s && s.outages[j].start_s < o.end_s)
        c.error(op, "overlaps outage " + std::to_string(j) + " of the same site \"" + o.site + "\"");
  }

  // Energy settings and targets.
  {
    const auto& e = s.energy;
    if (e.start_hour_of_year < 0 || e.start_hour_of_year >= 8760)
      c.error("/energy/start_hour_of_year",
              "expected an hour in [0, 8760), got " + io::format_general(e.start_hour_of_year));
    const auto rh_ok = [](double rh) { return rh >= 0 && rh <= 100; };
    const auto t_ok = [](double t) { return t >= -70 && t <= 70; };
    if (!t_ok(e.default_weather.dry_bulb_c))
      c.error("/energy/default_weather/dry_bulb_c", "expected a temperature in [-70, 70] degC, got " +
                                                        io::format_general(e.default_weather.dry_bulb_c));
    if (e.default_weather.monthly_dry_bulb_c)
      for (std::size_t m = 0; m < 12; ++m)
        if (!t_ok((*e.default_weather.monthly_dry_bulb_c)[m]))
          c.error("/energy/default_weather/monthly_dry_bulb_c/" + std::to_string(m),
                  "expected a temperature in [-70, 70] degC");
    if (!rh_ok(e.default_weather.relative_humidity))
      c.error("/energy/default_weather/relative_humidity",
              "expected a percentage in [0, 100], got " +
                  io::format_general(e.default_weather.relative_humidity));
    if (e.default_weather.monthly_relative_humidity)
      for (std::size_t m = 0; m < 12; ++m)
        if (!rh_ok((*e.default_weather.monthly_relative_humidity)[m]))
          c.error("/energy/default_weather/monthly_relative_humidity/" + std::to_string(m),
                  "expected a percentage in [0, 100]");
    c.non_negative("/energy/grid/carbon_kg_per_kwh", e.grid.carbon_kg_per_kwh);
    if (e.grid.carbon_kg_per_kwh > kMaxCarbonKgPerKwh)
      c.error("/energy/grid/carbon_kg_per_kwh", "expected at most " + io::format_general(kMaxCarbonKgPerKwh) +
                                                    " kg/kWh (lignite, the dirtiest, is about 1.2), got " +
                                                    io::format_general(e.grid.carbon_kg_per_kwh));
    if (!e.grid.carbon_file.empty()) {
      c.input_file("/energy/grid/carbon_file", s.resolve_path(e.grid.carbon_file), "carbon");
    }
    c.non_negative("/energy/tariff/price_per_kwh", e.tariff.price_per_kwh);
    for (std::size_t i = 0; i < e.tariff.periods.size(); ++i) {
      const auto& p = e.tariff.periods[i];
      const std::string pp = "/energy/tariff/periods/" + std::to_string(i);
      if (p.start_hour < 0 || p.start_hour > 24) c.error(pp + "/start_hour", "expected an hour in [0, 24]");
      if (p.end_hour < 0 || p.end_hour > 24) c.error(pp + "/end_hour", "expected an hour in [0, 24]");
      c.non_negative(pp + "/price_per_kwh", p.price_per_kwh);
    }
    const auto& f = e.facility;
    for (const auto& [name, v] : {std::pair{"ups_loss_fixed", f.ups_loss_fixed},
                                  {"ups_loss_linear", f.ups_loss_linear},
                                  {"ups_loss_quadratic", f.ups_loss_quadratic},
                                  {"air_fan_fraction", f.air_fan_fraction},
                                  {"plant_pump_fraction", f.plant_pump_fraction},
                                  {"free_cooling_band_c", f.free_cooling_band_c},
                                  {"chiller_cop_gain_per_c", f.chiller_cop_gain_per_c},
                                  {"overhead_fraction", f.overhead_fraction},
                                  {"wue_l_per_kwh", f.wue_l_per_kwh}})
      c.non_negative(std::string("/energy/facility/") + name, v);
    const auto& t = e.targets;
    for (const auto& [name, v] : {std::pair{"pue_max", t.pue_max}, {"pue_hub_max", t.pue_hub_max}})
      if (!(v >= 1))
        c.error(std::string("/targets/") + name, "a PUE target is at least 1, got " + io::format_general(v));
    for (const auto& [name, v] : {std::pair{"liquid_share_min", t.liquid_share_min},
                                  {"occupancy_min", t.occupancy_min},
                                  {"occupancy_hub_min", t.occupancy_hub_min}})
      if (v < 0 || v > 1)
        c.error(std::string("/targets/") + name, "expected a share in [0, 1], got " + io::format_general(v));
    if (!(t.gb40879_grade_max[0] <= t.gb40879_grade_max[1] &&
          t.gb40879_grade_max[1] <= t.gb40879_grade_max[2]))
      c.error("/targets/gb40879_grade_max",
              "grade limits must be increasing (grade 1 <= grade 2 <= grade 3)");
  }
  const auto check_weather = [&](const std::string& path, const std::string& file) {
    if (!file.empty()) c.input_file(path, s.resolve_path(file), "weather");
  };
  for (std::size_t i = 0; i < s.cities.size(); ++i)
    check_weather("/cities/" + std::to_string(i) + "/weather_file", s.cities[i].weather_file);
  for (std::size_t i = 0; i < s.sites.size(); ++i)
    check_weather("/sites/" + std::to_string(i) + "/weather_file", s.sites[i].weather_file);
  for (std::size_t i = 0; i < s.sites.size(); ++i)
    if (s.sites[i].cooling.wue_l_per_kwh)
      c.non_negative("/sites/" + std::to_string(i) + "/cooling/wue_l_per_kwh",
                     *s.sites[i].cooling.wue_l_per_kwh);

  // Connectivity: every city and site must reach every other over fiber (only checked when
  // references are sound, so one mistake is not reported twice).
  auto errors = c.take();
  if (errors.empty() && !s.cities.empty()) {
    std::map<std::string, std::size_t, std::less<>> index;
    for (std::size_t i = 0; i < s.cities.size(); ++i) index.emplace(s.cities[i].name, i);
    for (std::size_t i = 0; i < s.sites.size(); ++i) index.emplace(s.sites[i].name, s.cities.size() + i);
    Components comp(index.size());
    for (const auto& site : s.sites)
      if (site.attach_to_city) comp.join(index.at(site.name), index.at(site.city));
    for (const auto& l : s.links) comp.join(index.at(l.from), index.at(l.to));
    const auto root = comp.find(0);
    for (std::size_t i = 1; i < s.cities.size(); ++i)
      if (comp.find(i) != root)
        errors.emplace_back(s.source_file, "/cities/" + std::to_string(i),
                            "city \"" + s.cities[i].name + "\" has no fiber path to \"" + s.cities[0].name +
                                "\" (add a link in /links)");
    for (std::size_t i = 0; i < s.sites.size(); ++i)
      if (comp.find(s.cities.size() + i) != root)
        errors.emplace_back(s.source_file, "/sites/" + std::to_string(i),
                            "site \"" + s.sites[i].name + "\" has no fiber path to \"" + s.cities[0].name +
                                "\" (set attach_to_city or add a link)");
  }
  return errors;
}

}  // namespace suanli::model
