// `suanli platform`: exports the SimGrid platform XML, or builds it in SimGrid and reports its cost.
#include <sys/resource.h>
#include <unistd.h>

#include <CLI/CLI.hpp>
#include <chrono>
#include <cstdint>
#include <iostream>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "cli/Commands.hpp"
#include "io/OutputFile.hpp"
#include "model/Error.hpp"
#include "model/Names.hpp"
#include "platform/PlatformSpec.hpp"
#include "platform/PlatformXml.hpp"
#include "platform/SimGridPlatform.hpp"
#include "topology/Graph.hpp"

namespace suanli::cli {

namespace {

using model::UserError;

/// The options of `suanli platform`, filled by CLI11.
struct PlatformOptions {
  ScenarioInput input;
  std::string output;
  std::string granularity;
  bool build = false;
  bool verify = false;
  std::vector<std::string> simgrid_args;
};

double peak_rss_mib() {
  rusage usage{};
  getrusage(RUSAGE_SELF, &usage);
  return static_cast<double>(usage.ru_maxrss) / 1024.0;  // ru_maxrss is in KiB on Linux
}

int run_platform(const PlatformOptions& o) {
  if (!o.output.empty()) check_output_path(o.output);
  auto scenario = load(o.input);
  if (!o.granularity.empty())
    scenario.platform.host_granularity = *model::value_named<model::HostGranularity>(o.granularity);
  suanli::platform::check_platform_fits(scenario);
  if (o.output.empty() && !o.build)
    throw UserError("suanli platform", "", "give -o FILE.xml, --build, or both");

  const auto t0 = std::chrono::steady_clock::now();
  const suanli::topology::Graph graph(scenario);
  const auto spec = suanli::platform::build_platform_spec(scenario, graph);
  const double spec_s = elapsed_s(t0);
  std::cerr << "platform: " << spec.host_count << " hosts in " << spec.zones.size() << " sites, "
            << spec.links.size() << " fiber links, " << spec.routes.size() << " site-to-site routes ("
            << suanli::model::to_string(scenario.platform.host_granularity) << " granularity)\n";

  if (!o.output.empty()) {
    const auto t1 = std::chrono::steady_clock::now();
    write_atomically(o.output,
                     [&](std::ostream& out) { suanli::platform::write_platform_xml(out, scenario, spec); });
    std::cerr << "platform: wrote " << o.output << " in " << elapsed_s(t1) << " s\n";
  }
  if (!o.build) return 0;

  // Progress on a terminal only (at most ~20 updates), so logs and pipes stay clean.
  const bool tty = ::isatty(STDERR_FILENO) != 0;
  std::size_t last_shown = 0;
  const auto built = suanli::platform::build_in_simgrid(
      scenario, spec, o.simgrid_args,
      [&](std::size_t done, std::size_t total, std::int64_t hosts) {
        if (!tty || (done * 20 / total == last_shown * 20 / total && done != total)) return;
        last_shown = done;
        std::cerr << "\rbuilding SimGrid platform: site " << done << "/" << total << ", " << hosts << " hosts"
                  << (done == total ? "\n" : "") << std::flush;
      },
      o.verify, [] { suanli::io::install_interrupt_cleanup(); });  // after SimGrid's own SIGINT handler
  nlohmann::json stats = {{"scenario", scenario.name},
                          {"granularity", suanli::model::to_string(scenario.platform.host_granularity)},
                          {"hosts", built.hosts},
                          {"links", built.links},
                          {"site_routes", spec.routes.size()},
                          {"spec_seconds", spec_s},
                          {"simgrid_build_seconds", built.build_s},
                          {"peak_rss_mib", peak_rss_mib()}};
  if (o.verify) {
    stats["verified_routes"] = built.verified_routes;
    stats["max_latency_difference_s"] = built.max_latency_difference_s;
  }
  std::cout << stats.dump(2) << "\n";
  return 0;
}

}  // namespace

void add_platform(CLI::App& app, Commands& commands) {
  auto [platform, o] = add_command<PlatformOptions>(
      app, commands, "platform", "Export the SimGrid platform XML, or build it and report its cost",
      run_platform);
  add_scenario(platform, o.input);
  platform->add_option("-o,--output", o.output, "Write the SimGrid platform XML here");
  platform->add_option("--granularity", o.granularity, "Override host granularity: server, rack or pod")
      ->check(CLI::IsMember(model::names_of<model::HostGranularity>()));
  platform->add_flag(
      "--build", o.build,
      "Build the platform in SimGrid and print hosts, links, time and peak memory (benchmark)");
  platform->add_flag("--verify", o.verify,
                     "With --build: compare SimGrid route latencies of every site pair with Boost.Graph's");
  platform->add_option("--simgrid", o.simgrid_args,
                       "Extra SimGrid option, e.g. --simgrid=--cfg=network/model:CM02");
}

}  // namespace suanli::cli
