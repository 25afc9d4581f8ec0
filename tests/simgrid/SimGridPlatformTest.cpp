// The SimGrid platform built from a scenario: route latencies equal Boost.Graph's (C++ build and XML
// export), latency is physical (factor 1), and host energy properties give the modelled power.
// Each case runs in its own process (gtest_discover_tests + ctest): SimGrid cannot be reset.
#include <gtest/gtest.h>
#include <simgrid/plugins/energy.h>

#include <cmath>
#include <filesystem>
#include <fstream>
#include <simgrid/s4u/Actor.hpp>
#include <simgrid/s4u/Comm.hpp>
#include <simgrid/s4u/Engine.hpp>
#include <simgrid/s4u/Exec.hpp>
#include <simgrid/s4u/Host.hpp>
#include <simgrid/s4u/Mailbox.hpp>

#include "TestScenarios.hpp"
#include "load/Load.hpp"
#include "model/ScenarioReader.hpp"
#include "platform/PlatformSpec.hpp"
#include "platform/PlatformXml.hpp"
#include "platform/SimGridPlatform.hpp"
#include "topology/Graph.hpp"

namespace sg4 = simgrid::s4u;
namespace model = suanli::model;
namespace platform = suanli::platform;

namespace {

sg4::Engine& quiet_engine() {
  static int argc = 2;
  static char arg0[] = "suanli_simgrid_tests";
  static char arg1[] = "--log=root.thres:critical";
  static char* argv[] = {arg0, arg1, nullptr};
  static sg4::Engine engine(&argc, argv);
  return engine;
}

model::Scenario shipped(const std::string& name) {
  return suanli::load::load_scenario(suanli::test::source_dir() + "/scenarios/" + name).scenario;
}

/// Checks every site pair: SimGrid route latency == Boost.Graph shortest path + both LAN links, within 1 us.
void expect_latencies_match(const model::Scenario& s, const platform::PlatformSpec& spec) {
  const auto hosts = platform::first_host_per_site(s, spec);
  const suanli::topology::Graph graph(s);
  std::size_t checked = 0;
  for (std::size_t a = 0; a < s.sites.size(); ++a) {
    if (!hosts[a]) continue;
    const auto paths = graph.shortest_paths(graph.site_vertex(a));
    for (std::size_t b = 0; b < s.sites.size(); ++b) {
      if (!hosts[b] || a == b) continue;
      const double expected = paths.latency_s[graph.site_vertex(b)] + 2 * s.platform.lan_latency_s;
      ASSERT_NEAR(platform::route_latency_s(hosts[a], hosts[b]), expected, 1e-6)
          << s.sites[a].name << " -> " << s.sites[b].name;
      ++checked;
    }
  }
  EXPECT_EQ(checked, s.sites.size() * (s.sites.size() - 1));
}

/// The teaching scenario built into the (fresh) engine of this process, optionally with host energy.
struct Teaching {
  model::Scenario s;
  platform::PlatformSpec spec;
};
Teaching build_teaching(sg4::Engine& engine, bool energy) {
  Teaching t{shipped("teaching.json"), {}};
  const suanli::topology::Graph graph(t.s);
  t.spec = platform::build_platform_spec(t.s, graph);
  platform::configure_engine(engine, t.spec);
  if (energy) platform::enable_host_energy();
  platform::build_simgrid_platform(t.s, t.spec);
  return t;
}

}  // namespace

TEST(SimGridPlatform, BuiltRoutesMatchBoostGraphLatencies) {
  auto& engine = quiet_engine();
  const auto [s, spec] = build_teaching(engine, false);
  EXPECT_EQ(static_cast<std::int64_t>(engine.get_host_count()), spec.host_count);
  expect_latencies_match(s, spec);
}

TEST(SimGridPlatform, ExportedXmlLoadsWithBoostGraphLatencies) {
  auto& engine = quiet_engine();
  auto s = shipped("fujian-2025.json");
  s.platform.host_granularity = model::HostGranularity::kPod;
  const suanli::topology::Graph graph(s);
  const auto spec = platform::build_platform_spec(s, graph);
  const auto path = std::filesystem::temp_directory_path() / "suanli-test-fujian-platform.xml";
  {
    std::ofstream out(path);
    platform::write_platform_xml(out, s, spec);
  }
  platform::load_platform_xml(engine,
                              path.string());  // a fresh engine in this process: nothing built by hand
  EXPECT_EQ(static_cast<std::int64_t>(engine.get_host_count()), spec.host_count);
  expect_latencies_match(s, spec);
  std::filesystem::remove(path);
}

TEST(SimGridPlatform, LatencyIsPhysicalNotScaled) {
  auto& engine = quiet_engine();
  const auto [s, spec] = build_teaching(engine, false);
  const auto hosts = platform::first_host_per_site(s, spec);
  sg4::Host* src = hosts.front();
  sg4::Host* dst = hosts.back();
  const double route_s = platform::route_latency_s(src, dst);
  ASSERT_GT(route_s, 1e-4);
  double arrival = -1;
  sg4::Actor::create("sender", src, [dst] { sg4::Mailbox::by_name("m")->put(new int(1), 1); });
  sg4::Actor::create("receiver", dst, [&arrival] {
    delete sg4::Mailbox::by_name("m")->get<int>();
    arrival = sg4::Engine::get_clock();
  });
  engine.run();
  // One byte: transfer time is the route latency (LV08 would multiply it by 13.01).
  EXPECT_NEAR(arrival, route_s, 1e-6);
}

TEST(SimGridPlatform, HostEnergyFollowsTheServerPowerModel) {
  auto& engine = quiet_engine();
  const auto [s, spec] = build_teaching(engine, true);
  sg4::Host* busy = platform::first_host_per_site(s, spec).front();
  const auto& zone = spec.zones.front();
  const auto& type = s.node_types[zone.groups.front().node_type];
  const auto servers = zone.groups.front().servers_in_host(0);
  ASSERT_EQ(busy->get_core_count(), type.cores * servers);
  const double seconds = 100;
  sg4::Actor::create("load", busy, [busy, seconds] {
    // Every core busy for `seconds`.
    std::vector<sg4::ExecPtr> execs;
    for (int c = 0; c < busy->get_core_count(); ++c)
      execs.push_back(sg4::this_actor::exec_async(busy->get_speed() * seconds));
    for (auto& e : execs) e->wait();
  });
  engine.run();
  EXPECT_NEAR(sg4::Engine::get_clock(), seconds, 1e-6);
  const double n = static_cast<double>(servers);
  EXPECT_NEAR(sg_host_get_consumed_energy(busy), n * type.pstates.front().max_w * seconds, 1e-3);
  // An idle host of another site: idle power for the whole run.
  sg4::Host* idle = platform::first_host_per_site(s, spec).back();
  const auto& izone = spec.zones.back();
  const auto& itype = s.node_types[izone.groups.front().node_type];
  EXPECT_NEAR(
      sg_host_get_consumed_energy(idle),
      static_cast<double>(izone.groups.front().servers_in_host(0)) * itype.pstates.front().idle_w * seconds,
      1e-3);
}

TEST(SimGridPlatform, OffBootAndShutdownStatesAccountTheirEnergy) {
  auto& engine = quiet_engine();
  const auto [s, spec] = build_teaching(engine, true);
  const auto hosts = platform::first_host_per_site(s, spec);
  sg4::Host* target = hosts.front();
  sg4::Host* driver = hosts.back();
  const auto& group = spec.zones.front().groups.front();
  const auto& type = s.node_types[group.node_type];
  const double n = static_cast<double>(group.servers_in_host(0));
  // Off 100 s, boot, idle 70 s, shut down, off 10 s (driven from another host: turning a host off
  // kills the actors on it).
  sg4::Actor::create("driver", driver, [target, &type] {
    target->turn_off();
    sg4::this_actor::sleep_for(100);
    target->turn_on();
    target->set_pstate(type.boot_pstate());
    sg4::this_actor::sleep_for(type.boot_s);
    target->set_pstate(0);
    sg4::this_actor::sleep_for(70);
    target->set_pstate(type.shutdown_pstate());
    sg4::this_actor::sleep_for(type.shutdown_s);
    target->turn_off();
    sg4::this_actor::sleep_for(10);
  });
  engine.run();
  const double expected = n * (110 * type.off_w + type.boot_energy_j() + 70 * type.pstates.front().idle_w +
                               type.shutdown_energy_j());
  ASSERT_GT(type.boot_energy_j(), 0);
  EXPECT_NEAR(sg_host_get_consumed_energy(target), expected, 1e-9 * expected);
}
