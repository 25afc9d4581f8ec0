// `suanli report`: writes the self-contained HTML report of a run, two runs or a sweep.
#include "report/Report.hpp"

#include <CLI/CLI.hpp>
#include <iostream>
#include <string>
#include <vector>

#include "cli/Commands.hpp"

namespace suanli::cli {

namespace {

/// The options of `suanli report`, filled by CLI11.
struct ReportOptions {
  std::vector<std::string> folders;
  std::string output;
};

int run_report(const ReportOptions& o) {
  suanli::report::write_report(o.folders, o.output);
  std::cout << "wrote " << o.output << "\n";
  return 0;
}

}  // namespace

void add_report(CLI::App& app, Commands& commands) {
  auto options = std::make_shared<ReportOptions>();
  ReportOptions& o = *options;
  auto* report = app.add_subcommand(
      "report", "Write one self-contained HTML report of a run or a sweep folder; two runs side by side");
  report
      ->add_option("folders", o.folders,
                   "A run folder (suanli run -o) or a sweep folder; two run folders to compare")
      ->required()
      ->expected(1, 2);
  report->add_option("-o,--output", o.output, "The HTML file to write")->required();
  commands.push_back({report, [options] { return run_report(*options); }});
}

}  // namespace suanli::cli
