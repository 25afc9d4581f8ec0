// Closed-form IT energy of hosts (see the header for the model and why it cannot drift).
#include "energy/HostEnergyLedger.hpp"

#include <stdexcept>

namespace suanli::energy {

double host_power_w(const HostPowerProfile& profile, std::size_t state, int busy, bool on) {
  if (!on) return profile.off_w;
  const auto& s = profile.states.at(state);
  if (busy <= 0) return s.idle_w;
  const double load = static_cast<double>(busy) / profile.cores;
  return s.epsilon_w + load * (s.all_cores_w - s.epsilon_w);
}

std::size_t HostEnergyLedger::add_profile(HostPowerProfile profile) {
  if (profile.cores <= 0 || profile.states.empty())
    throw std::invalid_argument("host power profile needs cores > 0 and at least one state");
  profiles_.push_back(std::move(profile));
  return profiles_.size() - 1;
}

std::size_t HostEnergyLedger::add_host(std::size_t group, std::size_t profile) {
  if (profile >= profiles_.size()) throw std::out_of_range("unknown host power profile");
  if (group >= groups_.size()) groups_.resize(group + 1);
  auto& g = groups_[group];
  Host h;
  h.group = static_cast<std::uint32_t>(group);
  h.bin = bin_of(g, static_cast<std::uint32_t>(profile), 0);
  take(g.bins[h.bin], h, +1);
  hosts_.push_back(h);
  reprice(g);
  return hosts_.size() - 1;
}

std::uint32_t HostEnergyLedger::bin_of(Group& g, std::uint32_t profile, std::uint32_t state) {
  for (std::uint32_t b = 0; b < g.bins.size(); ++b)
    if (g.bins[b].profile == profile && g.bins[b].state == state) return b;
  Bin bin;
  bin.profile = profile;
  bin.state = state;
  g.bins.push_back(bin);
  return static_cast<std::uint32_t>(g.bins.size() - 1);
}

void HostEnergyLedger::advance(Group& g, double t) {
  if (t > g.last_s) {
    g.energy_j += g.power_w * (t - g.last_s);
    g.last_s = t;
  }
}

void HostEnergyLedger::take(Bin& b, const Host& h, std::int64_t sign) {
  if (!h.on) {
    b.off += sign;
  } else if (h.busy <= 0) {
    b.idle += sign;
  } else {
    b.working += sign;
    b.busy_cores += sign * h.busy;
  }
}

void HostEnergyLedger::reprice(Group& g) {
  double p = 0;
  for (const auto& b : g.bins) {
    const auto& profile = profiles_[b.profile];
    const auto& s = profile.states[b.state];
    p += static_cast<double>(b.off) * profile.off_w + static_cast<double>(b.idle) * s.idle_w +
         static_cast<double>(b.working) * s.epsilon_w +
         static_cast<double>(b.busy_cores) / profile.cores * (s.all_cores_w - s.epsilon_w);
  }
  g.power_w = p;
}

void HostEnergyLedger::add_busy(std::size_t host, int delta, double t) {
  auto& h = hosts_.at(host);
  auto& g = groups_[h.group];
  advance(g, t);
  take(g.bins[h.bin], h, -1);
  h.busy += delta;
  if (h.busy < 0) throw std::logic_error("host ledger: fewer than zero busy cores");
  take(g.bins[h.bin], h, +1);
  reprice(g);
}

void HostEnergyLedger::set_state(std::size_t host, std::size_t state, double t) {
  auto& h = hosts_.at(host);
  auto& g = groups_[h.group];
  const auto profile = g.bins[h.bin].profile;
  if (state >= profiles_[profile].states.size())
    throw std::out_of_range("host ledger: unknown performance state");
  if (state == h.state) return;
  advance(g, t);
  take(g.bins[h.bin], h, -1);
  h.state = static_cast<std::uint32_t>(state);
  h.bin = bin_of(g, profile, h.state);
  take(g.bins[h.bin], h, +1);
  reprice(g);
}

void HostEnergyLedger::set_on(std::size_t host, bool on, double t) {
  auto& h = hosts_.at(host);
  if (h.on == on) return;
  auto& g = groups_[h.group];
  advance(g, t);
  take(g.bins[h.bin], h, -1);
  h.on = on;
  take(g.bins[h.bin], h, +1);
  reprice(g);
}

double HostEnergyLedger::group_energy_j(std::size_t group, double t) const {
  if (group >= groups_.size()) return 0;
  const auto& g = groups_[group];
  return t > g.last_s ? g.energy_j + g.power_w * (t - g.last_s) : g.energy_j;
}

}  // namespace suanli::energy
