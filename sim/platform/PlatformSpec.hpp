// The SimGrid platform of a scenario, described as plain data (no SimGrid here): one zone per site
// holding its hosts, the fiber links, and a route between every pair of sites along the
// shortest-latency fiber path. Both the XML export and the SimGrid builder read this description.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <utility>
#include <vector>

#include "energy/HostEnergyLedger.hpp"
#include "model/Scenario.hpp"
#include "topology/Graph.hpp"

namespace suanli::platform {

/// Hosts of one node type in one site. A host aggregates `servers_per_host` servers (1 per server,
/// a physical rack, or a pod); the last host holds the remainder when the count does not divide.
struct HostGroup {
  std::size_t node_type = 0;
  std::int64_t servers = 0;
  std::int64_t servers_per_host = 1;
  std::int64_t full_hosts() const { return servers / servers_per_host; }
  std::int64_t remainder() const { return servers % servers_per_host; }
  std::int64_t host_count() const { return full_hosts() + (remainder() > 0 ? 1 : 0); }
  /// Servers in host `i` of the group.
  std::int64_t servers_in_host(std::int64_t i) const {
    return i < full_hosts() ? servers_per_host : remainder();
  }
};

/// One site: a star zone of hosts, each with a private (split-duplex) link to the site switch,
/// and a gateway router towards the fiber network.
struct SiteZone {
  std::size_t site = 0;
  std::string zone_name;
  std::string gateway_name;
  std::vector<HostGroup> groups;
  std::int64_t host_count() const;
};

/// The route between two sites: fiber links in travel order (forward = from its `a` end).
struct SiteRoute {
  std::size_t src_site = 0;
  std::size_t dst_site = 0;
  std::vector<topology::PathStep> steps;
  double latency_s = 0;  ///< one-way, sum of the links' latencies
};

struct PlatformSpec {
  std::string root_zone_name;
  std::vector<std::pair<std::string, std::string>> config;  ///< SimGrid configuration items
  std::vector<SiteZone> zones;
  std::vector<topology::FiberLink> links;
  std::vector<SiteRoute> routes;  ///< src_site < dst_site; symmetrical
  double lan_latency_s = 0;
  std::int64_t host_count = 0;
};

/// SimGrid configuration that makes link latency and bandwidth physical (see docs/platform.md):
/// network/latency-factor:1, network/bandwidth-factor:1, network/TCP-gamma from the scenario.
std::vector<std::pair<std::string, std::string>> simgrid_config(const model::PlatformSettings& settings);

/// Servers aggregated in one host under this granularity for this node type.
std::int64_t servers_per_host(const model::Scenario& scenario, const model::NodeType& type);

/// Number of SimGrid hosts the scenario gives at its granularity (cheap; no platform built).
std::int64_t estimate_host_count(const model::Scenario& scenario);

/// Rough peak memory of building the SimGrid platform, bytes (measured constants; docs/platform.md).
double estimate_platform_bytes(const model::Scenario& scenario);

/// Refuses up front (UserError naming /platform/host_granularity, with the estimate and a hint) a
/// platform whose estimated memory exceeds the limit: 16 GiB, or SUANLI_MEMORY_LIMIT_GIB.
void check_platform_fits(const model::Scenario& scenario);

PlatformSpec build_platform_spec(const model::Scenario& scenario, const topology::Graph& graph);

// Names and SimGrid property values, shared by the XML writer and the SimGrid builder.
std::string host_name(const model::Scenario& s, const SiteZone& zone, const HostGroup& group,
                      std::int64_t index);
std::string host_link_name(const std::string& host);
/// SimGrid's "Idle:Epsilon:AllCores" per pstate, comma separated, for a host of `servers` servers: the
/// node type's pstates, then its boot and shutdown states (NodeType::boot_pstate / shutdown_pstate).
std::string wattage_per_state(const model::NodeType& type, std::int64_t servers);
/// The same power model as numbers: what the exact executor integrates (energy::HostEnergyLedger).
energy::HostPowerProfile host_power_profile(const model::NodeType& type, std::int64_t servers);
/// Per-core speed of each SimGrid pstate of the node type: its pstates, then boot and shutdown (at
/// pstate 0's speed; no job runs in them).
std::vector<double> pstate_speeds(const model::NodeType& type);

}  // namespace suanli::platform
