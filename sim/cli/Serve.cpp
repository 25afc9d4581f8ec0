// `suanli serve`: the live classroom page (sim/serve/, docs/serve.md).
#include <CLI/CLI.hpp>
#include <cmath>
#include <iostream>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "cli/Commands.hpp"
#include "io/JsonReader.hpp"
#include "load/Load.hpp"
#include "model/Error.hpp"
#include "model/ScenarioReader.hpp"
#include "policy/Placement.hpp"
#include "policy/QueueScheduler.hpp"
#include "serve/Server.hpp"
#include "serve/Session.hpp"

namespace suanli::cli {
namespace {

struct ServeOptions {
  std::string scenario;
  std::optional<std::uint64_t> seed;
  std::vector<std::string> set;
  bool lenient = false;
  int port = 8080;
  std::string bind;
  double speed = 600;
};

int run_serve(const ServeOptions& o) {
  using model::UserError;
  // The scenario is checked here first, so a bad one is one line and exit 2, before any server starts.
  model::LoadOptions load_options;
  load_options.lenient = o.lenient;
  for (const auto& e : o.set) load_options.edits.push_back(model::parse_scenario_edit(e, "--set"));
  const auto loaded = load::load_scenario(o.scenario, load_options);
  for (const auto& w : loaded.warnings) std::cerr << "warning: " << w << "\n";
  auto document = io::parse_json_text(io::read_text_file(o.scenario), o.scenario);
  model::apply_scenario_edits(document, load_options.edits, "--set");

  serve::ServerOptions server;
  server.port = o.port;
  server.bind = o.bind.empty() ? "127.0.0.1" : o.bind;
  if (!serve::is_loopback(server.bind))
    std::cerr << "warning: --bind " << server.bind
              << ": the page is reachable from the network, and anyone who reaches it can drive the runs\n";

  serve::SessionOptions options;
  options.scenario_path = o.scenario;
  options.document = std::move(document);
  options.speed_sim_s_per_s = o.speed;
  if (o.seed) options.step_args.insert(options.step_args.end(), {"--seed", std::to_string(*o.seed)});
  for (const auto& e : o.set) options.step_args.insert(options.step_args.end(), {"--set", e});
  if (o.lenient) options.step_args.push_back("--lenient");
  options.placement_names = policy::placement_names();
  options.queue_names = policy::queue_scheduler_names();

  serve::block_stop_signals();
  serve::Session session(std::move(options));
  session.start();
  if (const auto error = session.error(); !error.empty()) {
    session.stop();
    throw UserError(o.scenario, "", "the simulation did not start: " + error);
  }
  try {
    serve::serve(session, server, [](const std::string& url) {
      std::cout << "serving " << url << " (Ctrl-C stops)" << std::endl;
    });
  } catch (const std::runtime_error& e) {
    session.stop();
    throw UserError(o.bind.empty() ? "--port" : "--bind", o.bind.empty() ? std::to_string(o.port) : o.bind,
                    e.what());
  }
  std::cerr << "serve: stopped\n";
  return 0;
}

}  // namespace

void add_serve(CLI::App& app, Commands& commands) {
  auto [sub, o] = add_command<ServeOptions>(app, commands, "serve",
                                            "Serve a live page of a run in the browser: map, gauges, charts, "
                                            "decision log, controls (docs/serve.md)",
                                            run_serve);
  sub->add_option("scenario", o.scenario, "Scenario JSON file (format: docs/scenario.md)")->required();
  sub->add_flag("--lenient", o.lenient, "Treat unknown fields as warnings instead of errors");
  sub->add_option("--set", o.set, "Edit the scenario before reading it: POINTER=VALUE (as in suanli run)")
      ->take_all();
  sub->add_option("--seed", o.seed, "Override the scenario's seed");
  sub->add_option("--port", o.port, "TCP port; 0 picks a free one (the URL is printed)")
      ->check(CLI::Range(0, 65535))
      ->capture_default_str();
  sub->add_option(
      "--bind", o.bind,
      "Listen on this address instead of 127.0.0.1 (a non-loopback address is reachable from the network)");
  sub->add_option("--speed", o.speed, "Initial play speed, simulated seconds per wall second")
      ->check(CLI::Range(1e-3, 1e7))
      ->capture_default_str();
}

}  // namespace suanli::cli
