// `suanli run`: reads the inputs, builds the SimGrid platform, chooses the executor, runs the controller
// actor (engine/Controller.hpp) and writes the outputs.
#include "engine/Simulation.hpp"

#include <algorithm>
#include <exception>
#include <filesystem>
#include <memory>
#include <simgrid/s4u/Actor.hpp>
#include <simgrid/s4u/Engine.hpp>
#include <simgrid/s4u/Host.hpp>
#include <string>
#include <vector>

#include "engine/Controller.hpp"
#include "io/OutputFile.hpp"
#include "metrics/RunMetrics.hpp"
#include "model/Error.hpp"
#include "platform/PlatformSpec.hpp"
#include "platform/SimGridPlatform.hpp"
#include "topology/Graph.hpp"

namespace sg4 = simgrid::s4u;

namespace suanli::engine {

void check_runnable(const model::Scenario& scenario) {
  if (platform::estimate_host_count(scenario) == 0)
    throw model::UserError(scenario.source_file, "/sites",
                           "no site has servers installed (nodes): nothing can run");
  platform::check_platform_fits(scenario);
  if (scenario.workload.classes.empty())
    throw model::UserError(scenario.source_file, "/workload/classes",
                           "no workload classes: nothing to simulate (add job classes: docs/scenario.md)");
}

nlohmann::json run_simulation(const model::Scenario& scenario, const RunOptions& options) {
  const energy::SiteWeather weather(scenario);  // inputs first: a bad EPW or carbon file fails here
  const energy::GridCarbon carbon(scenario);
  if (!options.output_dir.empty()) std::filesystem::create_directories(options.output_dir);
  std::vector<std::string> args{"suanli", "--log=root.thres:critical"};
  args.insert(args.end(), options.simgrid_args.begin(), options.simgrid_args.end());
  std::vector<char*> argv;
  for (auto& a : args) argv.push_back(a.data());
  int argc = static_cast<int>(argv.size());
  sg4::Engine engine(&argc, argv.data());
  io::install_interrupt_cleanup();  // SimGrid's engine installs its own SIGINT handler

  const topology::Graph graph(scenario);
  const auto spec = platform::build_platform_spec(scenario, graph);
  platform::configure_engine(engine, spec);
  if (options.executor == ExecutorKind::kSimGrid) platform::enable_host_energy();
  platform::build_simgrid_platform(scenario, spec, {}, true);

  // The controller and the exec workers live on a host of their own, outside every site: their
  // sleeps then never touch the CPU of a host that runs jobs (which would make SimGrid re-solve it).
  sg4::Host* home = sg4::Host::by_name(platform::kControlHostName);
  metrics::RunMetrics metrics(scenario, options.output_dir, options.gzip, options.jobs_csv, options.columns);
  const auto executor = make_executor(options.executor, home);
  Controller controller(scenario, spec, graph, weather, carbon, metrics, *executor, options.progress);
  controller.set_full_horizon(options.full_horizon);
  if (options.gate) controller.set_gate(options.gate);
  std::unique_ptr<io::OutputFile> decisions;
  if (options.decision_log && !options.output_dir.empty()) {
    decisions = std::make_unique<io::OutputFile>(
        (std::filesystem::path(options.output_dir) / "decisions.csv").string(), false);
    controller.set_decision_log(decisions.get());
  }
  // A user error found mid-run (a malformed line deep in a trace) stops the run; it is rethrown here,
  // and the partial outputs are removed by RunMetrics' files.
  std::exception_ptr failure;
  sg4::Actor::create("controller", home, [&controller, &failure] {
    try {
      controller.run();
    } catch (...) {
      failure = std::current_exception();
      controller.abandon();
    }
  });
  engine.run();
  if (failure) std::rethrow_exception(failure);

  auto summary = metrics.summary(controller.stop_s(), controller.site_totals());
  summary["engine"] = std::string(to_string(options.executor));
  if (!scenario.outages.empty()) summary["outages"] = controller.outage_summary();
  // A run owns its folder: outputs of an earlier run that this one does not write (jobs.csv.gz
  // after a --gzip run, an old decisions.csv) go, so the folder holds one run. summary.json first:
  // until the new one is in place the folder does not read as a finished run.
  const std::string ext = options.gzip ? ".csv.gz" : ".csv";
  std::vector<std::string> written{"summary.json", "scenario.json", "jobs" + ext, "timeseries" + ext};
  if (decisions) written.push_back("decisions.csv");
  for (const std::string name : {"summary.json", "scenario.json", "jobs.csv", "jobs.csv.gz", "timeseries.csv",
                                 "timeseries.csv.gz", "decisions.csv"}) {
    if (name != "summary.json" && std::find(written.begin(), written.end(), name) != written.end()) continue;
    std::error_code ec;
    std::filesystem::remove(std::filesystem::path(options.output_dir) / name, ec);
  }
  if (decisions) decisions->commit();
  metrics.commit(summary);
  return summary;
}

}  // namespace suanli::engine
