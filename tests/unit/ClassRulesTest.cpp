// A job class's rules: default policy, eligible sites, budget and origin latencies, the one function
// the engine and the capacity fast path both use.
#include <gtest/gtest.h>

#include "TestScenarios.hpp"
#include "model/ScenarioReader.hpp"
#include "policy/ClassRules.hpp"
#include "topology/Graph.hpp"
#include "topology/LatencyCircle.hpp"

namespace model = suanli::model;
namespace policy = suanli::policy;

using suanli::test::teaching_growth;

TEST(ClassRules, FiltersSitesByNameAndKindAndSetsTheBudgetOfLatencyCriticalClasses) {
  const auto s = teaching_growth();
  // edge-requests: edge DCs and core clusters, 1 ms budget; inference: anywhere, no budget;
  // batch: core clusters and GPU centres.
  const auto edge = policy::class_rules(s, 0);
  EXPECT_EQ(edge.placement, "nearest");
  EXPECT_DOUBLE_EQ(edge.budget_s, 0.001);
  EXPECT_EQ(edge.allowed, (std::vector<bool>{true, false, true, true, true}));
  const auto inference = policy::class_rules(s, 1);
  EXPECT_EQ(inference.budget_s, 0.0);
  EXPECT_EQ(inference.allowed, std::vector<bool>(5, true));
  EXPECT_EQ(policy::class_rules(s, 2).allowed, (std::vector<bool>{true, true, false, false, false}));
}

TEST(ClassRules, DefaultsFollowTheKindAndTheScenarioBudget) {
  auto s = teaching_growth();
  s.workload.classes[0].placement.clear();  // as if the class named no policy and no budget
  s.workload.classes[0].budget_s = 0;
  s.workload.classes[1].placement.clear();
  s.workload.classes[2].sites = {"xiamen-gpu-center"};
  const auto edge = policy::class_rules(s, 0);
  EXPECT_EQ(edge.placement, "nearest");
  EXPECT_DOUBLE_EQ(edge.budget_s, s.latency_targets.intra_city_s);
  EXPECT_EQ(policy::class_rules(s, 1).placement, "least_loaded");
  // Both filters apply: named sites and kinds.
  EXPECT_EQ(policy::class_rules(s, 2).allowed, (std::vector<bool>{false, true, false, false, false}));
}

TEST(ClassRules, OriginLatenciesAreTheGraphsFromCitiesAndAccessFiberFromPoints) {
  const auto s = teaching_growth();
  const suanli::topology::Graph graph(s);
  const auto lat = policy::origin_latencies(s, graph);
  ASSERT_EQ(lat.city.size(), s.cities.size());
  ASSERT_EQ(lat.point.size(), s.demand_points.size());
  for (std::size_t o = 0; o < s.cities.size(); ++o) {
    const auto paths = graph.shortest_paths(graph.city_vertex(o));
    for (std::size_t i = 0; i < s.sites.size(); ++i)
      EXPECT_EQ(lat.city[o][i], paths.latency_s[graph.site_vertex(i)]);
  }
  for (std::size_t o = 0; o < s.demand_points.size(); ++o)
    for (std::size_t i = 0; i < s.sites.size(); ++i)
      EXPECT_EQ(lat.point[o][i], suanli::topology::access_latency_s(s, s.demand_points[o].lat_deg,
                                                                    s.demand_points[o].lon_deg, s.sites[i]));
  EXPECT_EQ(&lat.of(model::OriginLevel::kCity), &lat.city);
}
