// The names of every policy and discipline (see Catalog.hpp).
#include "policy/Catalog.hpp"

#include "model/Workload.hpp"
#include "policy/Placement.hpp"
#include "policy/QueueScheduler.hpp"

namespace suanli::policy {

nlohmann::json policies_json() {
  using model::to_string;
  nlohmann::json j;
  j["placement"] = nlohmann::json::array();
  for (const auto& name : placement_names())
    j["placement"].push_back({{"name", name}, {"summary", placement_summary(name)}});
  j["queue"] = queue_scheduler_names();
  j["queue_summaries"] = nlohmann::json::array();
  for (const auto& name : queue_scheduler_names())
    j["queue_summaries"].push_back({{"name", name}, {"summary", queue_scheduler_summary(name)}});
  j["allocation"] = {to_string(model::AllocationStrategy::kFirstFit),
                     to_string(model::AllocationStrategy::kBestFit)};
  j["dvfs"] = {to_string(model::DvfsMode::kMax), to_string(model::DvfsMode::kDeadline)};
  return j;
}

}  // namespace suanli::policy
