// Platform description: host aggregation per granularity, SimGrid power strings, routes and XML.
#include <gtest/gtest.h>

#include <sstream>

#include "TestScenarios.hpp"
#include "model/Summary.hpp"
#include "platform/PlatformSpec.hpp"
#include "platform/PlatformXml.hpp"

namespace model = suanli::model;
namespace platform = suanli::platform;

TEST(HostGroup, RemainderGoesToTheLastHost) {
  const platform::HostGroup g{0, 10, 4};
  EXPECT_EQ(g.full_hosts(), 2);
  EXPECT_EQ(g.remainder(), 2);
  EXPECT_EQ(g.host_count(), 3);
  EXPECT_EQ(g.servers_in_host(0), 4);
  EXPECT_EQ(g.servers_in_host(2), 2);
  const platform::HostGroup exact{0, 8, 4};
  EXPECT_EQ(exact.host_count(), 2);
}

TEST(PlatformSpec, GranularityControlsHostCount) {
  auto doc = suanli::test::minimal_doc();  // 10 + 9 + 8 servers, 4 per rack
  doc["platform"] = {{"host_granularity", "server"}};
  EXPECT_EQ(platform::estimate_host_count(suanli::test::scenario_from(doc)), 27);
  doc["platform"] = {{"host_granularity", "rack"}};
  EXPECT_EQ(platform::estimate_host_count(suanli::test::scenario_from(doc)), 3 + 3 + 2);
  doc["platform"] = {{"host_granularity", "pod"}, {"pod_racks", 2}};
  const auto s = suanli::test::scenario_from(doc);
  EXPECT_EQ(platform::estimate_host_count(s), 2 + 2 + 1);
  const suanli::topology::Graph g(s);
  EXPECT_EQ(platform::build_platform_spec(s, g).host_count, 5);
}

TEST(PlatformSpec, WattagePerStateIsLinearFromIdleToMax) {
  const auto s = suanli::test::scenario_from(suanli::test::minimal_doc());
  // 4 servers: Idle 400 W, Epsilon = Idle (linear from idle), AllCores 1000 W; pstate 1: 320 / 600 W;
  // then booting and shutting down at the idle power (the defaults), flat.
  EXPECT_EQ(platform::wattage_per_state(s.node_types[0], 4),
            "400:400:1000,320:320:600,400:400:400,400:400:400");
  auto doc = suanli::test::minimal_doc();
  doc["node_types"][0]["boot_w"] = 200;
  doc["node_types"][0]["shutdown_w"] = 150;
  const auto s2 = suanli::test::scenario_from(doc);
  EXPECT_EQ(platform::wattage_per_state(s2.node_types[0], 2),
            "200:200:500,160:160:300,400:400:400,300:300:300");
  EXPECT_EQ(s2.node_types[0].boot_pstate(), 2);
  EXPECT_EQ(s2.node_types[0].shutdown_pstate(), 3);
  EXPECT_DOUBLE_EQ(s2.node_types[0].boot_energy_j(), 120 * 200);
  EXPECT_DOUBLE_EQ(s2.node_types[0].shutdown_energy_j(), 30 * 150);
}

TEST(PlatformSpec, OneRoutePerSitePairWithBoostLatency) {
  const auto s = suanli::test::scenario_from(suanli::test::minimal_doc());
  const suanli::topology::Graph g(s);
  const auto spec = platform::build_platform_spec(s, g);
  ASSERT_EQ(spec.routes.size(), 3u);
  EXPECT_EQ(spec.routes[0].src_site, 0u);
  EXPECT_EQ(spec.routes[0].dst_site, 1u);
  EXPECT_NEAR(spec.routes[0].latency_s, 220e-6, 1e-12);
  EXPECT_NEAR(spec.routes[1].latency_s, 580e-6, 1e-12);  // a1 - b1
  double sum = 0;
  for (const auto& step : spec.routes[1].steps) sum += spec.links[step.link].latency_s;
  EXPECT_NEAR(sum, spec.routes[1].latency_s, 1e-15);
  EXPECT_EQ(spec.config.size(), 3u);
  EXPECT_EQ(spec.config[0].first, "network/latency-factor");
  EXPECT_EQ(spec.config[0].second, "1");
}

TEST(PlatformXml, HasZonesHostsLinksAndDirectedRoutes) {
  const auto s = suanli::test::scenario_from(suanli::test::minimal_doc());
  const suanli::topology::Graph g(s);
  const auto spec = platform::build_platform_spec(s, g);
  std::ostringstream xml;
  platform::write_platform_xml(xml, s, spec);
  const auto text = xml.str();
  auto count = [&](const std::string& needle) {
    std::size_t n = 0;
    for (auto pos = text.find(needle); pos != std::string::npos; pos = text.find(needle, pos + 1)) ++n;
    return n;
  };
  EXPECT_EQ(count("<zone id="), 4u);  // root + 3 sites
  EXPECT_EQ(count("<host id="), 8u);
  EXPECT_EQ(count("<host_link "), 8u);
  EXPECT_EQ(count("<router id="), 3u);
  EXPECT_EQ(count("<zoneRoute "), 3u);
  EXPECT_NE(text.find("<host id=\"a1:cpu:2\" speed=\"1e+09f,5e+08f,1e+09f,1e+09f\" core=\"20\">"),
            std::string::npos);
  EXPECT_NE(text.find("<link id=\"fiber-0-A-B\" bandwidth=\"5e+11Bps\" latency=\"0.00051s\""),
            std::string::npos);
  // a1 -> b1: up a1's metro link, A->B forward, down b1's metro link.
  EXPECT_NE(
      text.find(
          "<zoneRoute src=\"a1\" dst=\"b1\" gw_src=\"a1:gw\" gw_dst=\"b1:gw\"><link_ctn id=\"metro-a1\" "
          "direction=\"UP\"/><link_ctn id=\"fiber-0-A-B\" direction=\"UP\"/><link_ctn id=\"metro-b1\" "
          "direction=\"DOWN\"/></zoneRoute>"),
      std::string::npos);
}

TEST(PlatformXml, EscapesNames) {
  auto doc = suanli::test::minimal_doc();
  doc["name"] = "a<b>&\"c\"";
  const auto s = suanli::test::scenario_from(doc);
  const suanli::topology::Graph g(s);
  std::ostringstream xml;
  platform::write_platform_xml(xml, s, platform::build_platform_spec(s, g));
  EXPECT_NE(xml.str().find("<zone id=\"a&lt;b&gt;&amp;&quot;c&quot;\" routing=\"Full\">"), std::string::npos);
}

TEST(Summary, SizeClassBoundaries) {
  EXPECT_EQ(model::size_class_for_racks(0), model::SizeClass::kEdge);
  EXPECT_EQ(model::size_class_for_racks(100), model::SizeClass::kEdge);
  EXPECT_EQ(model::size_class_for_racks(101), model::SizeClass::kSmallMedium);
  EXPECT_EQ(model::size_class_for_racks(2999), model::SizeClass::kSmallMedium);
  EXPECT_EQ(model::size_class_for_racks(3000), model::SizeClass::kLarge);
  EXPECT_EQ(model::size_class_for_racks(9999), model::SizeClass::kLarge);
  EXPECT_EQ(model::size_class_for_racks(10000), model::SizeClass::kHyperscale);
}

TEST(Summary, SiteAndProvinceFigures) {
  auto doc = suanli::test::minimal_doc();
  doc["node_types"][0]["gpus"] = 2;
  doc["node_types"][0]["gpu_speed_flops"] = 1e12;
  doc["sites"][0]["cooling"] = {{"liquid_share", 0.5}};
  const auto s = suanli::test::scenario_from(doc);
  const auto f = model::site_figures(s, s.sites[0]);  // 10 servers
  EXPECT_EQ(f.servers, 10);
  EXPECT_EQ(f.gpus, 20);
  EXPECT_DOUBLE_EQ(f.cpu_flops, 10 * 10 * 1e9);
  EXPECT_DOUBLE_EQ(f.gpu_flops, 10 * 2 * 1e12);
  EXPECT_DOUBLE_EQ(f.occupied_racks, 1.0);  // 10 x 250 W / 2500 W
  EXPECT_DOUBLE_EQ(f.occupancy, 1.0 / 200);
  EXPECT_DOUBLE_EQ(f.it_power_max_w, 2500);
  const auto t = model::scenario_figures(s);
  EXPECT_EQ(t.racks, 3210);
  EXPECT_EQ(t.servers, 27);
  EXPECT_DOUBLE_EQ(t.it_power_max_w, 27 * 250);
  EXPECT_DOUBLE_EQ(t.liquid_share, 0.5 * 2500 / (27 * 250));
  EXPECT_EQ(t.sites_by_kind[static_cast<int>(model::SiteKind::kEdgeDc)], 1);
  EXPECT_EQ(t.sites_by_size_class[static_cast<int>(model::SizeClass::kLarge)], 1);
  EXPECT_DOUBLE_EQ(t.hpc_peak_flops, 0);
}
