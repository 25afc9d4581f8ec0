// The shipped Fujian reference network matches the 2023-2025 provincial plan's figures.
#include <gtest/gtest.h>

#include <set>

#include "TestScenarios.hpp"
#include "load/Load.hpp"
#include "model/ScenarioReader.hpp"
#include "model/Summary.hpp"
#include "platform/PlatformSpec.hpp"
#include "topology/Graph.hpp"
#include "topology/LatencyCircle.hpp"

namespace model = suanli::model;

namespace {
const model::Scenario& fujian() {
  static const auto s =
      suanli::load::load_scenario(suanli::test::source_dir() + "/scenarios/fujian-2025.json").scenario;
  return s;
}
}  // namespace

TEST(FujianReference, PlanTotals) {
  const auto t = model::scenario_figures(fujian());
  EXPECT_EQ(t.racks, 150000);                                                   // 15万标准机架
  EXPECT_EQ(t.sites_by_kind[static_cast<int>(model::SiteKind::kEdgeDc)], 300);  // 300 edge DCs
  EXPECT_GE(t.peak_flops, 8e18);                                                // > 8 EFLOPS
  EXPECT_GE(t.hpc_peak_flops, 3e17);                                            // > 300 PFLOPS
  EXPECT_GE(t.occupancy, 0.6);                                                  // 上架率 target
}

TEST(FujianReference, CitiesAndNamedCentres) {
  const auto& s = fujian();
  std::set<std::string> cities;
  for (const auto& c : s.cities) cities.insert(c.name);
  EXPECT_EQ(cities, (std::set<std::string>{"fuzhou", "xiamen", "quanzhou", "zhangzhou", "putian", "sanming",
                                           "nanping", "longyan", "ningde", "pingtan"}));
  auto kind_of = [&](const char* name) {
    const auto* site = s.find_site(name);
    EXPECT_NE(site, nullptr) << name;
    return site ? site->kind : model::SiteKind::kEdgeDc;
  };
  EXPECT_EQ(kind_of("changle-cluster"), model::SiteKind::kCoreCluster);
  EXPECT_EQ(kind_of("anxi-cluster"), model::SiteKind::kCoreCluster);
  EXPECT_EQ(kind_of("fuzhou-ai-center"), model::SiteKind::kGpuCenter);
  EXPECT_EQ(kind_of("fujian-supercomputing-center"), model::SiteKind::kSupercomputingCenter);
  EXPECT_EQ(kind_of("xiamen-kunpeng-supercomputing-center"), model::SiteKind::kSupercomputingCenter);
  EXPECT_EQ(kind_of("quanzhou-advanced-computing-center"), model::SiteKind::kGpuCenter);
  EXPECT_NE(s.find_site("xiamen-digital-center"), nullptr);
}

TEST(FujianReference, CentralCitiesWithinFiveMilliseconds) {
  const auto& s = fujian();
  const auto r = suanli::topology::latency_circle(s, suanli::topology::Graph(s));
  ASSERT_EQ(r.central_pairs.size(), 3u);
  for (const auto& p : r.central_pairs) EXPECT_TRUE(p.within);
  EXPECT_GT(r.sites_within, r.sites_total * 95 / 100);
}

TEST(FujianReference, RackGranularityFitsInMemory) {
  auto s = fujian();
  s.platform.host_granularity = model::HostGranularity::kRack;
  EXPECT_LT(suanli::platform::estimate_platform_bytes(s), 2.0 * 1024 * 1024 * 1024);
  s.platform.host_granularity = model::HostGranularity::kServer;
  EXPECT_GT(suanli::platform::estimate_host_count(s), 500000);
}
