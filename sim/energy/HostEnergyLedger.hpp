// The IT energy of hosts whose busy cores, performance state and power state are known piecewise-
// constant functions of time, integrated in closed form with the host energy model SimGrid 3.32's
// energy plugin applies (as suanli configures it): per performance state "Idle:Epsilon:AllCores",
//   P = Idle                                  when no core works,
//   P = Epsilon + (busy / cores) x (AllCores - Epsilon)   otherwise,
//   P = Off                                   when the host is off.
// Hosts are grouped (a group is a site); a group's energy is read at any time in O(1), and each change
// of a host costs O(power bins of its group): per group, hosts are tallied by (profile, state) with
// integer counts, so the group's power is recomputed from exact counts and never drifts however many
// changes it sees. No SimGrid here: the engine's exact executor drives it, and it is unit-tested directly.
#pragma once

#include <cstddef>
#include <cstdint>
#include <vector>

namespace suanli::energy {

/// One performance state of a host, as SimGrid's energy plugin reads it (W for the whole host).
struct StatePower {
  double idle_w = 0;
  double epsilon_w = 0;
  double all_cores_w = 0;
};

/// The power model of one kind of host: every state (performance states, then booting and shutting
/// down) and the power when off.
struct HostPowerProfile {
  int cores = 1;
  std::vector<StatePower> states;
  double off_w = 0;
};

/// The power of a host in state `s` with `busy` cores working (SimGrid's formula, exactly).
double host_power_w(const HostPowerProfile& profile, std::size_t state, int busy, bool on);

class HostEnergyLedger {
 public:
  /// Registers a profile; returns its id. Profiles are kept by value.
  std::size_t add_profile(HostPowerProfile profile);
  /// Registers a host of `group` with `profile`, on, in state 0, idle, from time 0. Returns its id.
  std::size_t add_host(std::size_t group, std::size_t profile);

  /// `delta` more (or fewer, when negative) busy cores on `host` from time t.
  void add_busy(std::size_t host, int delta, double t);
  /// The host runs in performance state `state` from time t.
  void set_state(std::size_t host, std::size_t state, double t);
  /// The host is switched on or off at time t.
  void set_on(std::size_t host, bool on, double t);

  /// Energy the group's hosts used over [0, t], J (t not before the group's last change).
  double group_energy_j(std::size_t group, double t) const;
  /// The group's power now, W.
  double group_power_w(std::size_t group) const { return groups_[group].power_w; }

  std::size_t hosts() const { return hosts_.size(); }
  std::size_t groups() const { return groups_.size(); }
  int busy(std::size_t host) const { return hosts_[host].busy; }
  bool on(std::size_t host) const { return hosts_[host].on; }
  std::size_t state(std::size_t host) const { return hosts_[host].state; }

 private:
  /// Hosts of one group with the same profile and state: the counts their power depends on.
  struct Bin {
    std::uint32_t profile = 0;
    std::uint32_t state = 0;
    std::int64_t off = 0;         ///< hosts off
    std::int64_t idle = 0;        ///< hosts on with no busy core
    std::int64_t working = 0;     ///< hosts on with at least one busy core
    std::int64_t busy_cores = 0;  ///< busy cores over the working hosts
  };
  struct Host {
    std::uint32_t group = 0;
    std::uint32_t bin = 0;  ///< index into its group's bins
    std::uint32_t state = 0;
    int busy = 0;
    bool on = true;
  };
  struct Group {
    std::vector<Bin> bins;
    double energy_j = 0;  ///< over [0, last_s]
    double last_s = 0;
    double power_w = 0;  ///< from last_s on
  };

  std::uint32_t bin_of(Group& g, std::uint32_t profile, std::uint32_t state);
  void advance(Group& g, double t);
  void take(Bin& b, const Host& h, std::int64_t sign);
  void reprice(Group& g);

  std::vector<HostPowerProfile> profiles_;
  std::vector<Host> hosts_;
  std::vector<Group> groups_;
};

}  // namespace suanli::energy
