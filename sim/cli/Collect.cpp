// `suanli collect`: merges sweep shard folders into one sweep folder.
#include <CLI/CLI.hpp>
#include <iostream>
#include <string>
#include <vector>

#include "cli/Commands.hpp"
#include "sweep/Runner.hpp"

namespace suanli::cli {

namespace {

/// The options of `suanli collect`, filled by CLI11.
struct CollectOptions {
  std::vector<std::string> folders;
  std::string output;
};

int run_collect(const CollectOptions& o) {
  suanli::sweep::collect(o.folders, o.output);
  std::cout << "collected " << o.folders.size() << " shard folders into " << o.output
            << " (summary.csv, runs.csv, results.sqlite)\n";
  return 0;
}

}  // namespace

void add_collect(CLI::App& app, Commands& commands) {
  auto [collect, o] = add_command<CollectOptions>(
      app, commands, "collect", "Merge sweep shard folders (suanli sweep --shard) into one sweep folder",
      run_collect);
  collect->add_option("shards", o.folders, "Shard folders")->required();
  collect->add_option("-o,--output", o.output, "Merged sweep folder")->required();
}

}  // namespace suanli::cli
