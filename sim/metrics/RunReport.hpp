// The readable summary table `suanli run` prints.
#pragma once

#include <nlohmann/json.hpp>
#include <ostream>

#include "model/Scenario.hpp"

namespace suanli::metrics {

void print_run_summary(std::ostream& out, const model::Scenario& scenario, const nlohmann::json& summary);

}  // namespace suanli::metrics
