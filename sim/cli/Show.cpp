// `suanli show`: prints the fully resolved scenario as JSON.
#include <CLI/CLI.hpp>
#include <iostream>

#include "cli/Commands.hpp"
#include "model/ScenarioReader.hpp"

namespace suanli::cli {

namespace {

/// The options of `suanli show`, filled by CLI11.
struct ShowOptions {
  ScenarioInput input;
};

int run_show(const ShowOptions& o) {
  const auto scenario = load(o.input);
  std::cout << suanli::model::scenario_to_json(scenario).dump(2) << "\n";
  return 0;
}

}  // namespace

void add_show(CLI::App& app, Commands& commands) {
  auto [show, o] = add_command<ShowOptions>(
      app, commands, "show", "Print the fully resolved scenario (every default filled in) as JSON", run_show);
  add_scenario(show, o.input);
}

}  // namespace suanli::cli
