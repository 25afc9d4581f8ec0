// `suanli serve`: the live classroom page (sim/serve/, docs/serve.md). Registered by one call in main.cpp.
#pragma once

#include <CLI/CLI.hpp>
#include <functional>

namespace suanli::cli {

/// The serve subcommand: `command` is the CLI11 subcommand (test `*command` after parsing), `run` runs it
/// (UserError for bad input, caught in main like every other subcommand).
struct Subcommand {
  CLI::App* command = nullptr;
  std::function<int()> run;
};

Subcommand add_serve(CLI::App& app);

}  // namespace suanli::cli
