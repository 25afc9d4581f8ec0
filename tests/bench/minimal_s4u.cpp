// Baseline for `scripts/bench-engine.sh`: a minimal hand-written SimGrid S4U program doing the
// synthetic workload suanli is benchmarked on — N hosts of 32 cores, Poisson arrivals per host,
// exponential run times, FIFO per host — with one actor per host waiting on its running execs.
//   usage: minimal_s4u HOSTS RATE_PER_HOST_PER_S MEAN_RUNTIME_S HORIZON_S SEED
#include <simgrid/plugins/energy.h>

#include <cstdio>
#include <cstdlib>
#include <deque>
#include <simgrid/s4u.hpp>
#include <string>
#include <vector>

#include "workload/Random.hpp"

namespace sg4 = simgrid::s4u;

namespace {
constexpr int kCores = 32;
std::uint64_t completed = 0;

void host_actor(double rate, double mean_runtime, double horizon, std::uint64_t seed) {
  suanli::workload::Random rng(seed);
  sg4::Host* host = sg4::this_actor::get_host();
  double next_arrival = rng.exponential(1.0 / rate);
  std::deque<double> queue;
  std::vector<sg4::ExecPtr> running;
  while (true) {
    const double now = sg4::Engine::get_clock();
    if (now >= horizon) break;
    const double t_next = std::min(next_arrival, horizon);
    if (running.empty()) {
      sg4::this_actor::sleep_until(t_next);
    } else {
      const ssize_t done = sg4::Exec::wait_any_for(running, t_next - now);
      if (done >= 0) {
        running.erase(running.begin() + done);
        ++completed;
      }
    }
    while (next_arrival <= sg4::Engine::get_clock() && next_arrival < horizon) {
      queue.push_back(rng.exponential(mean_runtime));
      next_arrival += rng.exponential(1.0 / rate);
    }
    while (running.size() < kCores && !queue.empty()) {
      running.push_back(
          sg4::Exec::init()->set_host(host)->set_flops_amount(queue.front() * host->get_speed())->start());
      queue.pop_front();
    }
  }
  for (auto& e : running)
    if (!e->test()) e->cancel();
}
}  // namespace

int main(int argc, char** argv) {
  sg4::Engine engine(&argc, argv);
  if (argc != 6 && argc != 7) {
    std::fprintf(stderr, "usage: %s HOSTS RATE_PER_HOST_PER_S MEAN_RUNTIME_S HORIZON_S SEED [energy]\n",
                 argv[0]);
    return 2;
  }
  const bool energy = argc == 7 && std::string(argv[6]) == "energy";
  if (energy) sg_host_energy_plugin_init();
  const int hosts = std::atoi(argv[1]);
  const double rate = std::atof(argv[2]);
  const double mean_runtime = std::atof(argv[3]);
  const double horizon = std::atof(argv[4]);
  const auto seed = std::strtoull(argv[5], nullptr, 10);
  auto* zone = sg4::create_star_zone("cluster");
  std::vector<sg4::Host*> all;
  for (int h = 0; h < hosts; ++h)
    all.push_back(zone->create_host("h" + std::to_string(h), 1e9)
                      ->set_core_count(kCores)
                      ->set_property("wattage_per_state", "100:100:300")
                      ->seal());
  zone->seal();
  for (int h = 0; h < hosts; ++h)
    sg4::Actor::create("a" + std::to_string(h), all[h], host_actor, rate, mean_runtime, horizon,
                       suanli::workload::Random::derive(seed, static_cast<std::uint64_t>(h)));
  engine.run();
  std::printf("{\"completed\": %llu, \"simulated_s\": %.17g}\n", static_cast<unsigned long long>(completed),
              sg4::Engine::get_clock());
  return 0;
}
