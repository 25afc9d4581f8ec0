// s4u construction of the platform: Full root zone, one star zone per site, split-duplex links.
#include "platform/SimGridPlatform.hpp"

#include <simgrid/plugins/energy.h>

#include <chrono>
#include <cmath>
#include <simgrid/s4u/Engine.hpp>
#include <simgrid/s4u/Host.hpp>
#include <simgrid/s4u/Link.hpp>
#include <simgrid/s4u/NetZone.hpp>
#include <unordered_map>

#include "io/Format.hpp"

namespace sg4 = simgrid::s4u;

namespace suanli::platform {

void configure_engine(sg4::Engine& engine, const PlatformSpec& spec) {
  for (const auto& [key, value] : spec.config) engine.set_config(key + ":" + value);
}

void enable_host_energy() { sg_host_energy_plugin_init(); }

void build_simgrid_platform(const model::Scenario& s, const PlatformSpec& spec, const BuildProgress& progress,
                            bool control_host) {
  std::int64_t hosts_done = 0;
  auto* root = sg4::create_full_zone(spec.root_zone_name);
  std::vector<sg4::NetZone*> zones;
  std::vector<simgrid::kernel::routing::NetPoint*> gateways;
  zones.reserve(spec.zones.size());
  gateways.reserve(spec.zones.size());

  for (const auto& zone : spec.zones) {
    const auto& site = s.sites[zone.site];
    auto* z = sg4::create_star_zone(zone.zone_name);
    z->set_parent(root);
    z->set_property("kind", std::string(model::to_string(site.kind)));
    z->set_property("city", site.city);
    for (const auto& g : zone.groups) {
      const auto& type = s.node_types[g.node_type];
      const std::vector<double> speeds = pstate_speeds(type);
      for (std::int64_t i = 0; i < g.host_count(); ++i) {
        const auto servers = g.servers_in_host(i);
        const std::string name = host_name(s, zone, g, i);
        std::unordered_map<std::string, std::string> props{
            {"wattage_per_state", wattage_per_state(type, servers)},
            {"wattage_off", io::format_double(type.off_w * static_cast<double>(servers))},
            {"node_type", type.name},
            {"servers", std::to_string(servers)},
            {"gpus", std::to_string(static_cast<std::int64_t>(type.gpus) * servers)}};
        auto* host = z->create_host(name, speeds)
                         ->set_core_count(static_cast<int>(static_cast<std::int64_t>(type.cores) * servers))
                         ->set_properties(props)
                         ->seal();
        auto* link = z->create_split_duplex_link(host_link_name(name),
                                                 type.nic_bps / 8.0 * static_cast<double>(servers))
                         ->set_latency(spec.lan_latency_s)
                         ->seal();
        z->add_route(host->get_netpoint(), nullptr, nullptr, nullptr,
                     {sg4::LinkInRoute(link, sg4::LinkInRoute::Direction::UP)}, true);
      }
    }
    gateways.push_back(z->create_router(zone.gateway_name));
    z->seal();
    zones.push_back(z);
    hosts_done += zone.host_count();
    if (progress) progress(zones.size(), spec.zones.size(), hosts_done);
  }

  std::vector<sg4::Link*> links;
  links.reserve(spec.links.size());
  for (const auto& l : spec.links)
    links.push_back(
        root->create_split_duplex_link(l.name, l.bandwidth_bps / 8.0)->set_latency(l.latency_s)->seal());

  for (const auto& r : spec.routes) {
    std::vector<sg4::LinkInRoute> route;
    route.reserve(r.steps.size());
    for (const auto& step : r.steps)
      route.emplace_back(links[step.link],
                         step.forward ? sg4::LinkInRoute::Direction::UP : sg4::LinkInRoute::Direction::DOWN);
    root->add_route(zones[r.src_site]->get_netpoint(), zones[r.dst_site]->get_netpoint(),
                    gateways[r.src_site], gateways[r.dst_site], route, true);
  }
  if (control_host) {
    auto* control = sg4::create_star_zone("suanli-control");
    control->set_parent(root);
    control->create_host(kControlHostName, 1e9)->set_property("wattage_per_state", "0:0:0")->seal();
    control->seal();
  }
  root->seal();
}

void load_platform_xml(sg4::Engine& engine, const std::string& path) {
  engine.load_platform(path);
  engine.seal_platform();
}

std::vector<sg4::Host*> first_host_per_site(const model::Scenario& s, const PlatformSpec& spec) {
  std::vector<sg4::Host*> out;
  for (const auto& zone : spec.zones) {
    sg4::Host* h = nullptr;
    if (!zone.groups.empty()) h = sg4::Host::by_name_or_null(host_name(s, zone, zone.groups.front(), 0));
    out.push_back(h);
  }
  return out;
}

double route_latency_s(const sg4::Host* from, const sg4::Host* to) {
  std::vector<sg4::Link*> links;
  double latency = 0;
  from->route_to(to, links, &latency);
  return latency;
}

SimGridBuild build_in_simgrid(const model::Scenario& scenario, const PlatformSpec& spec,
                              const std::vector<std::string>& simgrid_args, const BuildProgress& progress,
                              bool verify, const std::function<void()>& engine_started) {
  std::vector<std::string> args{"suanli", "--log=root.thres:critical"};
  args.insert(args.end(), simgrid_args.begin(), simgrid_args.end());
  std::vector<char*> argv;
  for (auto& a : args) argv.push_back(a.data());
  int argc = static_cast<int>(argv.size());
  sg4::Engine engine(&argc, argv.data());
  if (engine_started) engine_started();
  configure_engine(engine, spec);
  enable_host_energy();
  const auto t0 = std::chrono::steady_clock::now();
  build_simgrid_platform(scenario, spec, progress);
  SimGridBuild out;
  out.build_s = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  out.hosts = static_cast<std::int64_t>(engine.get_host_count());
  out.links = static_cast<std::int64_t>(engine.get_link_count());
  if (verify) {
    // Every site pair: SimGrid's route latency must equal the Boost.Graph shortest path (+ the two LAN
    // links).
    const auto hosts = first_host_per_site(scenario, spec);
    for (const auto& r : spec.routes) {
      if (!hosts[r.src_site] || !hosts[r.dst_site]) continue;
      const double simgrid_s = route_latency_s(hosts[r.src_site], hosts[r.dst_site]);
      out.max_latency_difference_s = std::max(out.max_latency_difference_s,
                                              std::fabs(simgrid_s - (r.latency_s + 2 * spec.lan_latency_s)));
      ++out.verified_routes;
    }
  }
  return out;
}

}  // namespace suanli::platform
