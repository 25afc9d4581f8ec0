// `suanli policies`: lists the placement policies and queue disciplines.
#include <CLI/CLI.hpp>
#include <iomanip>
#include <iostream>
#include <nlohmann/json.hpp>

#include "cli/Commands.hpp"
#include "model/Workload.hpp"
#include "policy/Placement.hpp"

namespace suanli::cli {

namespace {

/// The options of `suanli policies`, filled by CLI11.
struct PoliciesOptions {
  bool json = false;
};

int run_policies(const PoliciesOptions& o) {
  using suanli::model::to_string;
  if (o.json) {  // the registry's names: scripts and the schema test read these, never a copy
    nlohmann::json j;
    j["placement"] = nlohmann::json::array();
    for (const auto& p : suanli::policy::placement_registry())
      j["placement"].push_back({{"name", p.name}, {"summary", p.summary}});
    using suanli::model::QueueDiscipline, suanli::model::AllocationStrategy, suanli::model::DvfsMode;
    j["queue"] = {to_string(QueueDiscipline::kFcfs), to_string(QueueDiscipline::kEasy),
                  to_string(QueueDiscipline::kConservative)};
    j["allocation"] = {to_string(AllocationStrategy::kFirstFit), to_string(AllocationStrategy::kBestFit)};
    j["dvfs"] = {to_string(DvfsMode::kMax), to_string(DvfsMode::kDeadline)};
    std::cout << j.dump(2) << "\n";
    return 0;
  }
  std::cout << "Placement policies (per job class: \"placement\": NAME or {\"policy\": NAME, parameters}):\n";
  for (const auto& p : suanli::policy::placement_registry())
    std::cout << "  " << std::left << std::setw(14) << p.name << p.summary << "\n";
  std::cout << "Queue disciplines (scheduling.queue): fcfs, easy (EASY backfilling), conservative "
               "(conservative backfilling)\n"
               "Allocation (scheduling.allocation): first_fit, best_fit\n"
               "Power management (scheduling.power): idle_off_s, reserve_fraction; DVFS (scheduling.dvfs): "
               "max, deadline\n";
  return 0;
}

}  // namespace

void add_policies(CLI::App& app, Commands& commands) {
  auto options = std::make_shared<PoliciesOptions>();
  PoliciesOptions& o = *options;
  auto* policies =
      app.add_subcommand("policies", "List the placement policies and queue disciplines (docs/policies.md)");
  policies->add_flag("--json", o.json,
                     "Print the names as JSON (placement: name and summary; queue, allocation, dvfs)");
  commands.push_back({policies, [options] { return run_policies(*options); }});
}

}  // namespace suanli::cli
