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
  auto [report, o] = add_command<ReportOptions>(
      app, commands, "report",
      "Write one self-contained HTML report of a run or a sweep folder; two runs side by side", run_report);
  report
      ->add_option("folders", o.folders,
                   "A run folder (suanli run -o) or a sweep folder; two run folders to compare")
      ->required()
      ->expected(1, 2);
  report->add_option("-o,--output", o.output, "The HTML file to write")->required();
}

}  // namespace suanli::cli
