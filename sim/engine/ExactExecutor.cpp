// The exact executor: no SimGrid activity per job. A job's parts add busy cores to their hosts from its
// start to its end (both known when it starts, since no host is ever oversubscribed), and the hosts'
// IT energy is integrated in closed form by energy::HostEnergyLedger with the formula of SimGrid's host
// energy plugin. Host power states are mirrored on the SimGrid hosts (so is_on and speeds stay true
// there), but SimGrid's energy plugin is not loaded.
#include <deque>
#include <simgrid/s4u/Host.hpp>

#include "engine/JobExecutor.hpp"

namespace sg4 = simgrid::s4u;

namespace suanli::engine {

namespace {

class ExactExecutor : public JobExecutor {
 public:
  std::size_t add_host(sg4::Host* host, std::size_t site, const energy::HostPowerProfile& profile) override {
    // Hosts of one node type and size share a profile (a Fujian site has a handful, not thousands).
    std::size_t p = 0;
    while (p < profiles_.size() && !same(profiles_[p], profile)) ++p;
    if (p == profiles_.size()) {
      profiles_.push_back(profile);
      ledger_.add_profile(profile);
    }
    hosts_.push_back(host);
    return ledger_.add_host(site, p);
  }

  double start(std::size_t slot, const std::vector<ExecPart>& parts, double runtime_s, double now) override {
    if (slots_.size() <= slot) slots_.resize(slot + 1);
    auto& st = slots_[slot];
    st.clear();
    for (const auto& p : parts) {
      ledger_.add_busy(p.host_id, p.threads, now);
      st.push_back({p.host_id, p.threads});
    }
    return now + runtime_s;
  }

  double finish(std::size_t slot, double now) override {
    release(slot, now);
    return now;
  }

  void cancel(std::size_t slot, double now) override { release(slot, now); }

  void set_pstate(std::size_t host_id, int pstate, double now) override {
    ledger_.set_state(host_id, static_cast<std::size_t>(pstate), now);
    hosts_[host_id]->set_pstate(pstate);
  }
  void turn_on(std::size_t host_id, double now) override {
    ledger_.set_on(host_id, true, now);
    hosts_[host_id]->turn_on();
  }
  void turn_off(std::size_t host_id, double now) override {
    ledger_.set_on(host_id, false, now);
    hosts_[host_id]->turn_off();
  }
  bool is_on(std::size_t host_id) const override { return ledger_.on(host_id); }

  double site_energy_j(std::size_t site, double now) override { return ledger_.group_energy_j(site, now); }

  bool needs_clock() const override { return false; }

 private:
  struct Busy {
    std::size_t host_id;
    int threads;
  };

  void release(std::size_t slot, double now) {
    if (slot >= slots_.size()) return;
    for (const auto& b : slots_[slot]) ledger_.add_busy(b.host_id, -b.threads, now);
    slots_[slot].clear();
  }

  static bool same(const energy::HostPowerProfile& a, const energy::HostPowerProfile& b) {
    if (a.cores != b.cores || a.off_w != b.off_w || a.states.size() != b.states.size()) return false;
    for (std::size_t i = 0; i < a.states.size(); ++i)
      if (a.states[i].idle_w != b.states[i].idle_w || a.states[i].epsilon_w != b.states[i].epsilon_w ||
          a.states[i].all_cores_w != b.states[i].all_cores_w)
        return false;
    return true;
  }

  energy::HostEnergyLedger ledger_;
  std::vector<energy::HostPowerProfile> profiles_;
  std::vector<sg4::Host*> hosts_;
  std::deque<std::vector<Busy>> slots_;
};

}  // namespace

std::unique_ptr<JobExecutor> make_exact_executor() { return std::make_unique<ExactExecutor>(); }

std::unique_ptr<JobExecutor> make_simgrid_executor(sg4::Host* home);

std::string_view to_string(ExecutorKind kind) { return kind == ExecutorKind::kExact ? "exact" : "simgrid"; }

std::unique_ptr<JobExecutor> make_executor(ExecutorKind kind, sg4::Host* home) {
  return kind == ExecutorKind::kExact ? make_exact_executor() : make_simgrid_executor(home);
}

}  // namespace suanli::engine
