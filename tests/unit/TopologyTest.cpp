// Fiber graph, shortest-latency paths, the latency circle and plan-edge on hand-built networks.
#include <gtest/gtest.h>

#include <cmath>

#include "TestScenarios.hpp"
#include "model/Error.hpp"
#include "model/Geo.hpp"
#include "topology/EdgePlanner.hpp"
#include "topology/Graph.hpp"
#include "topology/LatencyCircle.hpp"

namespace model = suanli::model;
namespace topology = suanli::topology;

namespace {
constexpr double kTol = 1e-12;  // seconds; these are sums of a few exact terms
}

TEST(Geo, GreatCircleDistance) {
  // One degree of longitude on the equator: 2 pi R / 360.
  EXPECT_NEAR(model::great_circle_km(0, 0, 0, 1), 111.195, 0.001);
  EXPECT_NEAR(model::great_circle_km(26.08, 119.30, 26.08, 119.30), 0.0, 1e-9);
  // Fuzhou - Xiamen city centres, about 210 km apart.
  EXPECT_NEAR(model::great_circle_km(26.07, 119.30, 24.48, 118.09), 212.0, 8.0);
}

TEST(Graph, LinkLatencyIsFiberPlusHop) {
  const auto s = suanli::test::scenario_from(suanli::test::minimal_doc());
  const topology::Graph g(s);
  ASSERT_EQ(g.links().size(), 5u);  // 3 metro + 2 explicit
  EXPECT_EQ(g.links()[0].name, "metro-a1");
  EXPECT_TRUE(g.links()[0].metro);
  EXPECT_NEAR(g.links()[0].latency_s, 10 * 5e-6 + 1e-5, kTol);
  EXPECT_NEAR(g.links()[3].latency_s, 100 * 5e-6 + 1e-5, kTol);
  EXPECT_DOUBLE_EQ(g.links()[3].bandwidth_bps, 4e12);
}

TEST(Graph, DerivedFiberLengthUsesRouteFactor) {
  auto doc = suanli::test::minimal_doc();
  doc["links"][0].erase("fiber_km");
  const auto s = suanli::test::scenario_from(doc);
  const topology::Graph g(s);
  EXPECT_NEAR(g.links()[3].fiber_km, 1.5 * model::great_circle_km(0, 0, 0, 1), 1e-9);
}

TEST(Graph, ShortestPathsSumLinkLatencies) {
  const auto s = suanli::test::scenario_from(suanli::test::minimal_doc());
  const topology::Graph g(s);
  const auto p = g.shortest_paths(g.site_vertex(0));  // a1
  const double a1_metro = 60e-6, ab = 510e-6, b1_metro = 10e-6;
  EXPECT_NEAR(p.latency_s[g.site_vertex(2)], a1_metro + ab + b1_metro, kTol);
  EXPECT_NEAR(p.latency_s[g.site_vertex(1)], a1_metro + 160e-6, kTol);  // via A's hub
  EXPECT_NEAR(p.latency_s[g.city_vertex(2)], a1_metro + 2 * ab, kTol);
  const auto path = g.path_to(p, g.site_vertex(2));
  ASSERT_EQ(path.size(), 3u);
  EXPECT_EQ(g.links()[path[0].link].name, "metro-a1");
  EXPECT_TRUE(path[0].forward);   // metro links run site -> hub
  EXPECT_TRUE(path[1].forward);   // A -> B as declared
  EXPECT_FALSE(path[2].forward);  // hub B -> b1 runs against metro-b1's direction
  EXPECT_TRUE(g.path_to(p, g.site_vertex(0)).empty());
}

TEST(Graph, ShortcutWinsAndParallelLinksTakeTheShorter) {
  auto doc = suanli::test::minimal_doc();
  doc["links"].push_back({{"from", "A"}, {"to", "C"}, {"fiber_km", 150}});
  doc["links"].push_back({{"from", "A"}, {"to", "B"}, {"fiber_km", 80}});
  const auto s = suanli::test::scenario_from(doc);
  const topology::Graph g(s);
  const auto p = g.shortest_paths(g.city_vertex(0));
  EXPECT_NEAR(p.latency_s[g.city_vertex(2)], 150 * 5e-6 + 1e-5, kTol);
  EXPECT_NEAR(p.latency_s[g.city_vertex(1)], 80 * 5e-6 + 1e-5, kTol);
  const auto path = g.path_to(p, g.city_vertex(1));
  ASSERT_EQ(path.size(), 1u);
  EXPECT_EQ(path[0].link, 6u);  // the 80 km parallel link, not the 100 km one
}

TEST(LatencyCircle, ReportsSitesCentresAndCentralPairs) {
  const auto s = suanli::test::scenario_from(suanli::test::minimal_doc());
  const topology::Graph g(s);
  const auto r = topology::latency_circle(s, g);
  ASSERT_EQ(r.cities.size(), 3u);
  const auto& a = r.cities[0];
  ASSERT_EQ(a.own_sites.size(), 2u);
  EXPECT_NEAR(a.own_sites[0].latency_s, 60e-6, kTol);
  EXPECT_NEAR(a.own_sites[1].latency_s, 160e-6, kTol);
  EXPECT_EQ(a.own_within, 2u);
  EXPECT_EQ(a.centre_pairs, 1u);  // a1 (small_medium) and a2 (large); b1 is edge-sized
  EXPECT_NEAR(a.max_centre_pair_s, 220e-6, kTol);
  EXPECT_EQ(a.reachable_sites.size(), 3u);  // b1 is 0.52 ms from A's hub
  EXPECT_TRUE(r.cities[2].own_sites.empty());
  ASSERT_EQ(r.central_pairs.size(), 1u);  // A-B; C is regional
  EXPECT_NEAR(r.central_pairs[0].latency_s, 510e-6, kTol);
  EXPECT_TRUE(r.violations.empty());
  EXPECT_EQ(r.sites_within, 3u);
  EXPECT_EQ(r.cities_within, 3u);
}

TEST(LatencyCircle, SitesBeyondTheBudgetAreViolations) {
  auto doc = suanli::test::minimal_doc();
  doc["sites"][1]["metro_fiber_km"] = 250;  // 1.25 ms + 10 us from A's hub
  const auto s = suanli::test::scenario_from(doc);
  const auto r = topology::latency_circle(s, topology::Graph(s));
  EXPECT_EQ(r.cities[0].own_within, 1u);
  EXPECT_EQ(r.cities[0].centre_pairs_within, 0u);
  EXPECT_EQ(r.sites_within, 2u);
  EXPECT_EQ(r.cities_within, 2u);
  ASSERT_EQ(r.violations.size(), 2u);
  EXPECT_EQ(r.violations[0].kind, "site");
  EXPECT_EQ(r.violations[0].subject, "A / a2");
  EXPECT_NEAR(r.violations[0].latency_s, 1.26e-3, kTol);
  EXPECT_EQ(r.violations[1].kind, "centre_pair");
}

TEST(LatencyCircle, RoundTripModeDoublesLatency) {
  auto doc = suanli::test::minimal_doc();
  doc["latency_targets"] = {{"mode", "round_trip"}, {"inter_central_city_s", 1e-3}};
  doc["links"][0]["fiber_km"] = 99;  // 0.505 ms one way: fits 1 ms one-way, not round trip
  const auto s = suanli::test::scenario_from(doc);
  const auto r = topology::latency_circle(s, topology::Graph(s));
  ASSERT_EQ(r.central_pairs.size(), 1u);
  EXPECT_NEAR(r.central_pairs[0].latency_s, 2 * 505e-6, kTol);
  EXPECT_FALSE(r.central_pairs[0].within);
  doc["latency_targets"]["mode"] = "one_way";
  const auto s1 = suanli::test::scenario_from(doc);
  EXPECT_TRUE(topology::latency_circle(s1, topology::Graph(s1)).central_pairs[0].within);
}

TEST(LatencyCircle, DemandPointsUseStraightLineAccess) {
  auto doc = suanli::test::minimal_doc();
  doc["demand_points"] = {
      {{"name", "near"}, {"city", "A"}, {"lat_deg", 0.0}, {"lon_deg", 0.5}},
      {{"name", "far"}, {"city", "C"}, {"lat_deg", 0.0}, {"lon_deg", 3.0}, {"weight", 3.0}}};
  const auto s = suanli::test::scenario_from(doc);
  const auto r = topology::latency_circle(s, topology::Graph(s));
  ASSERT_EQ(r.demand.size(), 2u);
  // 0.5 deg = 55.6 km x 1.5 = 83.4 km -> 0.417 ms + hop, to a1 (first of the equidistant a1/a2... a1 wins
  // ties).
  EXPECT_NEAR(r.demand[0].latency_s, model::great_circle_km(0, 0.5, 0, 1) * 1.5 * 5e-6 + 1e-5, 1e-12);
  EXPECT_TRUE(r.demand[0].within);
  EXPECT_EQ(s.sites[r.demand[1].nearest_site].name, "b1");  // 2 degrees away: 1.67 ms
  EXPECT_FALSE(r.demand[1].within);
  EXPECT_DOUBLE_EQ(r.demand_weight_within / r.demand_weight_total, 0.25);
}

namespace {
/// Demand points every 0.5 degree along the equator from lon 0 to lon 6; one existing site at lon 0.
model::Scenario line_scenario() {
  auto doc = suanli::test::minimal_doc();
  doc["demand_points"] = nlohmann::json::array();
  for (int i = 0; i <= 12; ++i)
    doc["demand_points"].push_back(
        {{"name", "p" + std::to_string(i)}, {"city", "A"}, {"lat_deg", 0.0}, {"lon_deg", 0.5 * i}});
  doc["sites"].erase(2);  // drop b1 so only lon 0 is served
  return suanli::test::scenario_from(doc);
}
}  // namespace

TEST(EdgePlanner, GreedyCoversTheLineWithFewestSites) {
  const auto s = line_scenario();
  topology::EdgePlanOptions o;
  // Budget: 0.5 degree of access (55.6 km x 1.5 route factor) and a hop, plus slack < the next 0.5 degree.
  o.budget_s = model::great_circle_km(0, 0, 0, 0.5) * 1.5 * 5e-6 + 1e-5 + 1e-7;
  const auto plan = topology::plan_edge(s, o);
  EXPECT_EQ(plan.demand_points, 13u);
  EXPECT_EQ(plan.covered_before, 2u);  // p0, p1 from the sites at lon 0
  // Remaining p2..p12 (11 points), each candidate covers itself and its two neighbours: ceil(11/3) = 4.
  EXPECT_EQ(plan.proposed.size(), 4u);
  EXPECT_EQ(plan.covered_after, 13u);
  EXPECT_TRUE(plan.uncoverable.empty());
  EXPECT_NEAR(plan.approximation_factor, 1.0 + 1.0 / 2 + 1.0 / 3, 1e-12);
  std::size_t covered = 0;
  for (const auto& p : plan.proposed) covered += p.covers.size();
  EXPECT_EQ(covered, 11u);  // every newly covered point counted once
}

TEST(EdgePlanner, TinyBudgetLeavesPointsUncoverableExceptByThemselves) {
  const auto s = line_scenario();
  topology::EdgePlanOptions o;
  o.budget_s = 5e-6;  // below one hop delay: nothing can reach anything
  const auto plan = topology::plan_edge(s, o);
  EXPECT_EQ(plan.covered_before, 0u);
  EXPECT_TRUE(plan.proposed.empty());
  EXPECT_EQ(plan.uncoverable.size(), 13u);
}

TEST(EdgePlanner, IgnoringExistingEdgeSitesPlansForTheirArea) {
  auto doc = suanli::test::minimal_doc();
  doc["demand_points"] = {{{"name", "at-b"}, {"city", "B"}, {"lat_deg", 0.0}, {"lon_deg", 1.0}}};
  const auto s = suanli::test::scenario_from(doc);
  topology::EdgePlanOptions o;
  o.budget_s = 2e-4;
  EXPECT_EQ(topology::plan_edge(s, o).proposed.size(), 0u);  // b1 serves it
  o.ignore_existing_edge = true;
  const auto plan = topology::plan_edge(s, o);
  ASSERT_EQ(plan.proposed.size(), 1u);
  EXPECT_EQ(plan.proposed[0].where.name, "at-b");
}

TEST(EdgePlanner, GridCandidatesAndTheirLimit) {
  const auto s = line_scenario();
  topology::EdgePlanOptions o;
  o.candidates = topology::CandidateSource::kGrid;
  o.grid_km = 20;
  const auto grid = topology::edge_candidates(s, o);
  EXPECT_EQ(grid.size(), 34u);  // 6 degrees = 667 km / 20 km -> 34 columns, 1 row
  o.grid_km = 0.001;
  EXPECT_THROW(topology::edge_candidates(s, o), model::UserError);
}
