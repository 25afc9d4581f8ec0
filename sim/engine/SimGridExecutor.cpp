// The reference executor: every job runs as SimGrid execs under the host energy plugin.
#include <simgrid/plugins/energy.h>

#include <algorithm>
#include <deque>
#include <simgrid/s4u/Actor.hpp>
#include <simgrid/s4u/Engine.hpp>
#include <simgrid/s4u/Exec.hpp>
#include <simgrid/s4u/Host.hpp>
#include <simgrid/s4u/Semaphore.hpp>
#include <string>

#include "engine/JobExecutor.hpp"

namespace sg4 = simgrid::s4u;

namespace suanli::engine {

namespace {

/// Runs jobs as SimGrid execs. SimGrid 3.32 keeps every unfinished exec in a list of the actor that
/// created it and removes it by a linear scan when it ends, so one actor creating all execs costs
/// O(running jobs) per completion. The execs are therefore created by a pool of daemon worker actors
/// (one per simulated instant, in turn), woken through semaphores at the same simulated time; the
/// controller never waits on an exec that has ended (it drops the handle and reads its finish time).
class SimGridExecutor : public JobExecutor {
 public:
  explicit SimGridExecutor(sg4::Host* home, int workers = 64) : workers_(static_cast<std::size_t>(workers)) {
    for (std::size_t w = 0; w < workers_.size(); ++w) {
      workers_[w].wake = sg4::Semaphore::create(0);
      sg4::Actor::create("exec-worker-" + std::to_string(w), home, [this, w] { work(w); })->daemonize();
    }
  }

  std::size_t add_host(sg4::Host* host, std::size_t site, const energy::HostPowerProfile&) override {
    hosts_.push_back(host);
    if (site_hosts_.size() <= site) site_hosts_.resize(site + 1);
    site_hosts_[site].push_back(host);
    return hosts_.size() - 1;
  }

  double start(std::size_t slot, const std::vector<ExecPart>& parts, double runtime_s, double now) override {
    if (slots_.size() <= slot) slots_.resize(slot + 1);
    auto& st = slots_[slot];
    st.handles.clear();
    st.parts = parts;
    st.runtime_s = runtime_s;
    st.pending = true;
    // Every start made at one simulated instant goes to the same worker (one wake-up), the next
    // instant to the next worker: the workers' lists stay short and balanced.
    if (now != last_start_s_) {
      last_start_s_ = now;
      next_worker_ = (next_worker_ + 1) % workers_.size();
    }
    auto& w = workers_[next_worker_];
    w.inbox.push_back(slot);
    if (!w.signaled) {
      w.signaled = true;
      w.wake->release();
    }
    return now + runtime_s;
  }

  double finish(std::size_t slot, double now) override {
    auto& st = slots_[slot];
    double end = now;
    if (st.pending) {  // ended before its worker ran (zero run time): nothing to wait for
      st.pending = false;
      return end;
    }
    for (auto& e : st.handles) {
      if (e->get_finish_time() < 0) e->wait();  // not over yet (rounding): wait the remaining instant
      // SimGrid's clock carries its solver's rounding (relative precision 1e-9 by default): an exec
      // that ends within it of the planned end ended then; later would mean an oversubscribed host.
      if (e->get_finish_time() > now * (1 + 1e-9) + 1e-9) end = std::max(end, e->get_finish_time());
    }
    st.handles.clear();
    return end;
  }

  void cancel(std::size_t slot, double) override {
    if (slot >= slots_.size()) return;
    auto& st = slots_[slot];
    st.pending = false;
    for (auto& e : st.handles)
      if (e->get_finish_time() < 0) e->cancel();
    st.handles.clear();
  }

  void set_pstate(std::size_t host_id, int pstate, double) override { hosts_[host_id]->set_pstate(pstate); }
  void turn_on(std::size_t host_id, double) override { hosts_[host_id]->turn_on(); }
  void turn_off(std::size_t host_id, double) override { hosts_[host_id]->turn_off(); }
  bool is_on(std::size_t host_id) const override { return hosts_[host_id]->is_on(); }

  double site_energy_j(std::size_t site, double) override {
    double energy = 0;
    if (site < site_hosts_.size())
      for (auto* h : site_hosts_[site]) energy += sg_host_get_consumed_energy(h);
    return energy;
  }

  bool needs_clock() const override { return true; }

 private:
  struct Worker {
    sg4::SemaphorePtr wake;
    std::deque<std::size_t> inbox;
    bool signaled = false;
  };
  struct Slot {
    std::vector<ExecPart> parts;
    double runtime_s = 0;
    bool pending = false;
    std::vector<sg4::ExecPtr> handles;
  };

  void work(std::size_t w) {
    auto& me = workers_[w];
    while (true) {
      me.wake->acquire();
      me.signaled = false;
      while (!me.inbox.empty()) {
        auto& st = slots_[me.inbox.front()];
        me.inbox.pop_front();
        if (!st.pending) continue;  // finished or cancelled meanwhile
        st.pending = false;
        for (const auto& p : st.parts) {
          // Each setter is a simcall: set the thread count only when it is not the default 1.
          auto exec =
              sg4::Exec::init()->set_host(p.host)->set_flops_amount(st.runtime_s * p.core_speed_flops);
          if (p.threads != 1) exec->set_thread_count(p.threads);  // flops are per thread (SimGrid 3.32)
          st.handles.push_back(exec->start());
        }
      }
    }
  }

  std::vector<Worker> workers_;  // never resized after construction
  // A deque: start() grows it while a worker, suspended inside a simcall, holds a reference to a
  // slot (a vector would move its elements; found by AddressSanitizer).
  std::deque<Slot> slots_;
  double last_start_s_ = -1;
  std::size_t next_worker_ = 0;
  std::vector<sg4::Host*> hosts_;
  std::vector<std::vector<sg4::Host*>> site_hosts_;
};

}  // namespace

std::unique_ptr<JobExecutor> make_simgrid_executor(sg4::Host* home) {
  return std::make_unique<SimGridExecutor>(home);
}

}  // namespace suanli::engine
