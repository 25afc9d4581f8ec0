// Builds a PlatformSpec into the running SimGrid engine (the only platform code that includes SimGrid).
#pragma once

#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include "model/Scenario.hpp"
#include "platform/PlatformSpec.hpp"

namespace simgrid::s4u {
class Engine;
class Host;
}  // namespace simgrid::s4u

namespace suanli::platform {

/// Applies the spec's SimGrid configuration (latency/bandwidth factors 1, TCP-gamma). Must run
/// before the platform is created or loaded.
void configure_engine(simgrid::s4u::Engine& engine, const PlatformSpec& spec);

/// Turns on SimGrid's host energy plugin (before building, so hosts get their energy model).
void enable_host_energy();

/// Called after each site zone is built: (sites done, sites total, hosts done).
using BuildProgress = std::function<void(std::size_t, std::size_t, std::int64_t)>;

/// Name of the host the engine's own actors run on (outside every site; no jobs, no power).
inline constexpr const char* kControlHostName = "suanli-controller";

/// Creates the zones, hosts, links and routes of `spec` through the s4u API and seals them. With
/// `control_host`, also a zone "suanli-control" holding the host kControlHostName.
void build_simgrid_platform(const model::Scenario& scenario, const PlatformSpec& spec,
                            const BuildProgress& progress = {}, bool control_host = false);

/// Loads a platform XML file (as written by write_platform_xml) and seals it, so routes can be queried
/// before the simulation starts.
void load_platform_xml(simgrid::s4u::Engine& engine, const std::string& path);

/// One host of each site (the first host), or nullptr for a site without hosts; in site order.
std::vector<simgrid::s4u::Host*> first_host_per_site(const model::Scenario& scenario,
                                                     const PlatformSpec& spec);

/// One-way latency of SimGrid's route between two hosts (sum of link latencies), seconds.
double route_latency_s(const simgrid::s4u::Host* from, const simgrid::s4u::Host* to);

/// What building the platform in SimGrid gave (`suanli platform --build`).
struct SimGridBuild {
  std::int64_t hosts = 0, links = 0;
  double build_s = 0;                   ///< wall time of build_simgrid_platform
  std::size_t verified_routes = 0;      ///< with verify: site pairs whose route latency was compared
  double max_latency_difference_s = 0;  ///< with verify: worst |SimGrid - (graph + 2 LAN links)|
};

/// Starts a SimGrid engine (with `simgrid_args`), builds `spec` in it with host energy on and, with
/// `verify`, compares every site-to-site route latency with the graph's shortest path. `engine_started`
/// runs right after the engine is created (e.g. to install signal handlers over SimGrid's). Once per
/// process (SimGrid allows one engine).
SimGridBuild build_in_simgrid(const model::Scenario& scenario, const PlatformSpec& spec,
                              const std::vector<std::string>& simgrid_args, const BuildProgress& progress,
                              bool verify, const std::function<void()>& engine_started = {});

}  // namespace suanli::platform
