// The exact executor's energy ledger: SimGrid's host energy formula, integration between changes,
// power and off states, and exact counts (no drift) over many changes.
#include <gtest/gtest.h>

#include <random>
#include <sstream>
#include <string>

#include "energy/HostEnergyLedger.hpp"
#include "platform/PlatformSpec.hpp"

using suanli::energy::host_power_w;
using suanli::energy::HostEnergyLedger;
using suanli::energy::HostPowerProfile;

namespace {

HostPowerProfile four_cores() {
  // state 0: idle 100, epsilon 120, all cores 300; state 1 (slower): 80 / 90 / 180; state 2: boot, 150.
  return {4, {{100, 120, 300}, {80, 90, 180}, {150, 150, 150}}, 5};
}

}  // namespace

TEST(HostEnergyLedger, PowerIsSimGridsIdleEpsilonAllCoresFormula) {
  const auto p = four_cores();
  EXPECT_DOUBLE_EQ(host_power_w(p, 0, 0, true), 100);               // idle
  EXPECT_DOUBLE_EQ(host_power_w(p, 0, 1, true), 120 + 0.25 * 180);  // one core of four
  EXPECT_DOUBLE_EQ(host_power_w(p, 0, 4, true), 300);               // all cores
  EXPECT_DOUBLE_EQ(host_power_w(p, 1, 2, true), 90 + 0.5 * 90);
  EXPECT_DOUBLE_EQ(host_power_w(p, 1, 3, false), 5);  // off, whatever else
}

TEST(HostEnergyLedger, IntegratesPiecewiseConstantPowerPerGroup) {
  HostEnergyLedger l;
  const auto prof = l.add_profile(four_cores());
  const auto a = l.add_host(0, prof);
  const auto b = l.add_host(0, prof);
  const auto c = l.add_host(1, prof);  // another site
  EXPECT_DOUBLE_EQ(l.group_power_w(0), 200);
  l.add_busy(a, 2, 10);  // [10, 30): a at 120 + 0.5 x 180 = 210
  l.add_busy(b, 4, 20);  // [20, 40): b at 300
  l.add_busy(a, -2, 30);
  l.set_state(b, 1, 35);  // [35, 40): b in state 1 with 4 busy: 180
  l.add_busy(b, -4, 40);
  l.set_on(b, false, 50);  // [50, ...): 5 W
  // a: idle [0,10) 1000 + 210 W over [10,30) 4200 + idle [30,100] 7000.
  // b: idle [0,20) 2000 + 300 W over [20,35) 4500 + state 1 all cores [35,40) 900 + state 1 idle
  //    [40,50) 800 + off [50,100] 250.
  EXPECT_NEAR(l.group_energy_j(0, 100), 12200.0 + 8450.0, 1e-9);
  EXPECT_DOUBLE_EQ(l.group_energy_j(1, 100), 100 * 100.0);
  EXPECT_DOUBLE_EQ(l.group_power_w(0), 105);
  l.add_busy(c, 1, 100);
  EXPECT_DOUBLE_EQ(l.group_power_w(1), 165);
  EXPECT_EQ(l.busy(c), 1);
  EXPECT_FALSE(l.on(b));
  EXPECT_EQ(l.state(b), 1u);
}

TEST(HostEnergyLedger, ReadingBetweenChangesDoesNotMoveTheGroup) {
  HostEnergyLedger l;
  const auto prof = l.add_profile(four_cores());
  const auto a = l.add_host(0, prof);
  EXPECT_DOUBLE_EQ(l.group_energy_j(0, 50), 5000);
  EXPECT_DOUBLE_EQ(l.group_energy_j(0, 40), 4000);  // a read is not a change: earlier times still read
  l.add_busy(a, 4, 60);
  EXPECT_DOUBLE_EQ(l.group_energy_j(0, 70), 6000 + 3000);
  EXPECT_DOUBLE_EQ(l.group_energy_j(0, 70), 6000 + 3000);
}

TEST(HostEnergyLedger, MillionsOfChangesLeaveNoDrift) {
  // Power is recomputed from integer counts, so after any sequence of changes that ends with every host
  // idle, the group's power is exactly the idle power again.
  HostEnergyLedger l;
  const auto prof = l.add_profile({32, {{123.4, 123.4, 456.7}, {99.9, 99.9, 222.2}}, 3.3});
  std::vector<std::size_t> hosts;
  for (int i = 0; i < 50; ++i) hosts.push_back(l.add_host(0, prof));
  const double idle = l.group_power_w(0);
  std::mt19937_64 rng(7);
  std::vector<int> busy(hosts.size(), 0);
  double t = 0;
  for (int k = 0; k < 1000000; ++k) {
    const auto h = rng() % hosts.size();
    const int delta = busy[h] < 32 && (busy[h] == 0 || rng() % 2) ? 1 : -1;
    busy[h] += delta;
    l.add_busy(hosts[h], delta, t += 0.001);
  }
  for (std::size_t h = 0; h < hosts.size(); ++h) l.add_busy(hosts[h], -busy[h], t);
  EXPECT_EQ(l.group_power_w(0), idle);
}

TEST(HostEnergyLedger, RefusesImpossibleChanges) {
  HostEnergyLedger l;
  const auto prof = l.add_profile(four_cores());
  const auto a = l.add_host(0, prof);
  EXPECT_THROW(l.add_busy(a, -1, 1), std::logic_error);
  EXPECT_THROW(l.set_state(a, 3, 1), std::out_of_range);
  EXPECT_THROW(l.add_host(0, 9), std::out_of_range);
  EXPECT_THROW(l.add_profile({0, {{1, 1, 1}}, 0}), std::invalid_argument);
}

TEST(HostEnergyLedger, ProfileIsWhatSimGridReadsFromThePlatform) {
  // The numbers the ledger integrates are the ones written into wattage_per_state, exactly.
  suanli::model::NodeType type;
  type.name = "n";
  type.cores = 48;
  type.pstates = {{2.6e9, 137.3, 411.9}, {1.3e9, 101.1, 250.05}};
  type.off_w = 7.7;
  const auto profile = suanli::platform::host_power_profile(type, 3);
  EXPECT_EQ(profile.cores, 144);
  ASSERT_EQ(profile.states.size(), 4u);  // two pstates, boot, shutdown
  std::stringstream in(suanli::platform::wattage_per_state(type, 3));
  std::string state;
  std::size_t i = 0;
  while (std::getline(in, state, ',')) {
    std::stringstream parts(state);
    std::string idle, eps, all;
    std::getline(parts, idle, ':');
    std::getline(parts, eps, ':');
    std::getline(parts, all, ':');
    EXPECT_EQ(std::stod(idle), profile.states.at(i).idle_w);
    EXPECT_EQ(std::stod(eps), profile.states.at(i).epsilon_w);
    EXPECT_EQ(std::stod(all), profile.states.at(i).all_cores_w);
    ++i;
  }
  EXPECT_EQ(i, 4u);
  EXPECT_DOUBLE_EQ(profile.off_w, 7.7 * 3);
}
