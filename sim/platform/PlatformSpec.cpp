// Scenario + fiber graph -> platform description (zones, hosts, links, site-to-site routes).
#include "platform/PlatformSpec.hpp"

#include <tbb/parallel_for.h>

#include <charconv>
#include <cstdio>
#include <cstdlib>
#include <stdexcept>

#include "io/Format.hpp"
#include "model/Error.hpp"

namespace suanli::platform {

namespace {
// Measured on Debian 12 / SimGrid 3.32 (see docs/platform.md, "Scale"): memory per SimGrid host
// with its private split-duplex link and energy properties, and per site-to-site route.
constexpr double kBytesPerHost = 4500.0;
constexpr double kBytesPerRoute = 400.0;
constexpr double kBaseBytes = 64.0 * 1024 * 1024;
}  // namespace

std::vector<std::pair<std::string, std::string>> simgrid_config(const model::PlatformSettings& settings) {
  return {{"network/latency-factor", "1"},
          {"network/bandwidth-factor", "1"},
          {"network/TCP-gamma", io::format_double(settings.tcp_gamma_bytes)}};
}

std::int64_t servers_per_host(const model::Scenario& s, const model::NodeType& type) {
  switch (s.platform.host_granularity) {
    case model::HostGranularity::kServer:
      return 1;
    case model::HostGranularity::kRack:
      return type.effective_servers_per_rack();
    case model::HostGranularity::kPod:
      return static_cast<std::int64_t>(type.effective_servers_per_rack()) * s.platform.pod_racks;
  }
  return 1;
}

std::int64_t SiteZone::host_count() const {
  std::int64_t n = 0;
  for (const auto& g : groups) n += g.host_count();
  return n;
}

std::int64_t estimate_host_count(const model::Scenario& s) {
  std::int64_t n = 0;
  for (const auto& site : s.sites)
    for (const auto& g : site.nodes)
      if (const auto* t = s.find_node_type(g.type)) {
        const auto per = servers_per_host(s, *t);
        n += g.count / per + (g.count % per ? 1 : 0);
      }
  return n;
}

double estimate_platform_bytes(const model::Scenario& s) {
  const double sites = static_cast<double>(s.sites.size());
  return kBaseBytes + kBytesPerHost * static_cast<double>(estimate_host_count(s)) +
         kBytesPerRoute * sites * sites;
}

void check_platform_fits(const model::Scenario& s) {
  double limit_gib = 16;
  if (const char* env = std::getenv("SUANLI_MEMORY_LIMIT_GIB")) {
    char* end = nullptr;
    const double v = std::strtod(env, &end);
    if (end != env && v > 0) limit_gib = v;
  }
  const double estimate = estimate_platform_bytes(s);
  if (estimate <= limit_gib * 1024 * 1024 * 1024) return;
  char gib[32];
  std::snprintf(gib, sizeof gib, "%.1f", estimate / (1024.0 * 1024 * 1024));
  const auto g = s.platform.host_granularity;
  std::string hint = g == model::HostGranularity::kServer ? "use \"rack\" or \"pod\""
                     : g == model::HostGranularity::kRack ? "use \"pod\" (or raise pod_racks)"
                                                          : "raise pod_racks";
  throw model::UserError(s.source_file, "/platform/host_granularity",
                         std::to_string(estimate_host_count(s)) + " SimGrid hosts at " +
                             std::string(model::to_string(g)) + " granularity need about " + gib +
                             " GiB, over the limit of " + io::format_double(limit_gib) + " GiB; " + hint +
                             " (or set SUANLI_MEMORY_LIMIT_GIB)");
}

std::string host_name(const model::Scenario& s, const SiteZone& zone, const HostGroup& group,
                      std::int64_t index) {
  return s.sites[zone.site].name + ":" + s.node_types[group.node_type].name + ":" + std::to_string(index);
}

std::vector<double> pstate_speeds(const model::NodeType& type) {
  std::vector<double> speeds;
  for (const auto& p : type.pstates) speeds.push_back(p.core_speed_flops);
  const double first = speeds.empty() ? 1.0 : speeds.front();
  speeds.push_back(first);
  speeds.push_back(first);
  return speeds;
}

std::string host_link_name(const std::string& host) { return host + ":nic"; }

energy::HostPowerProfile host_power_profile(const model::NodeType& type, std::int64_t servers) {
  // SimGrid 3.32's host energy model per pstate is "Idle:Epsilon:AllCores": P = Idle when no core
  // works, otherwise P = Epsilon + load x (AllCores - Epsilon) with load = busy cores / cores. A linear
  // idle -> max server curve is therefore Epsilon = Idle.
  const double n = static_cast<double>(servers);
  energy::HostPowerProfile profile;
  profile.cores = static_cast<int>(static_cast<std::int64_t>(type.cores) * servers);
  for (const auto& p : type.pstates) profile.states.push_back({p.idle_w * n, p.idle_w * n, p.max_w * n});
  // Two extra states: booting, shutting down (constant power whatever the load; no job runs then).
  for (double w : {type.effective_boot_w() * n, type.effective_shutdown_w() * n})
    profile.states.push_back({w, w, w});
  profile.off_w = type.off_w * n;
  return profile;
}

std::string wattage_per_state(const model::NodeType& type, std::int64_t servers) {
  // The same numbers as host_power_profile(), printed exactly (shortest round-trip form), so SimGrid's
  // plugin and the exact executor's ledger read identical values.
  std::string out;
  for (const auto& s : host_power_profile(type, servers).states) {
    if (!out.empty()) out += ",";
    out += io::format_double(s.idle_w) + ":" + io::format_double(s.epsilon_w) + ":" +
           io::format_double(s.all_cores_w);
  }
  return out;
}

PlatformSpec build_platform_spec(const model::Scenario& s, const topology::Graph& graph) {
  PlatformSpec spec;
  spec.root_zone_name = s.name;
  spec.config = simgrid_config(s.platform);
  spec.lan_latency_s = s.platform.lan_latency_s;
  spec.links = graph.links();

  for (std::size_t i = 0; i < s.sites.size(); ++i) {
    const auto& site = s.sites[i];
    SiteZone zone;
    zone.site = i;
    zone.zone_name = site.name;
    zone.gateway_name = site.name + ":gw";
    for (const auto& g : site.nodes) {
      if (g.count == 0) continue;
      std::size_t type_index = 0;
      while (s.node_types[type_index].name != g.type) ++type_index;
      zone.groups.push_back({type_index, g.count, servers_per_host(s, s.node_types[type_index])});
    }
    spec.host_count += zone.host_count();
    spec.zones.push_back(std::move(zone));
  }

  // Shortest paths from every site, in parallel (each source writes only its own slot).
  const std::size_t n = s.sites.size();
  std::vector<std::vector<SiteRoute>> per_source(n);
  tbb::parallel_for(std::size_t{0}, n, [&](std::size_t a) {
    const auto paths = graph.shortest_paths(graph.site_vertex(a));
    for (std::size_t b = a + 1; b < n; ++b) {
      SiteRoute r{a, b, graph.path_to(paths, graph.site_vertex(b)), paths.latency_s[graph.site_vertex(b)]};
      per_source[a].push_back(std::move(r));
    }
  });
  spec.routes.reserve(n * (n - 1) / 2);
  for (auto& routes : per_source)
    for (auto& r : routes) spec.routes.push_back(std::move(r));
  return spec;
}

}  // namespace suanli::platform
