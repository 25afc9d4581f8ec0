// What-if: the same figures for a baseline scenario and an edited copy, side by side (no SimGrid).
#pragma once

#include <optional>
#include <ostream>
#include <string>
#include <vector>

#include "model/Scenario.hpp"

namespace suanli::capacity {

/// One figure of the network, as built in the baseline and after the edits.
struct WhatIfRow {
  std::string figure;
  std::string unit;
  double baseline = 0;
  double changed = 0;
};

/// Capacity (racks, addable racks, IT power, GPUs, cores, peak compute), the facility over a weather
/// year (annual PUE, energy, carbon, cost: the `suanli pue` fast path) and the latency circle (sites
/// within their city's budget, central pairs, demand weight) of both scenarios. The IT load of the
/// year is each scenario's own workload's (capacity::annual_it_load): both carry the same demand, so
/// racks added empty add no load and a failed site's demand moves to the sites that remain; with
/// `it_load` (--it-load), that share of each site's rated power instead.
std::vector<WhatIfRow> what_if(const model::Scenario& baseline, const model::Scenario& changed,
                               std::optional<double> it_load);

/// Removes a site, its fiber links and its name from the classes' site lists. Returns the classes
/// whose site list it emptied (such a class would then run anywhere).
std::vector<std::string> remove_site(model::Scenario& scenario, const std::string& site);

/// The scenario with elements out of service (static failures): "site:NAME" removes a site (and its
/// fiber links; classes no longer list it), "link:A,B" removes the fiber link between A and B (either
/// direction). model::UserError naming `option` for a malformed failure or an unknown site or link.
model::Scenario with_failures(const model::Scenario& scenario, const std::vector<std::string>& failures,
                              const std::string& option = "--fail");

/// The table: figure, baseline, what-if, difference (and relative difference).
void print_what_if(std::ostream& out, const std::vector<WhatIfRow>& rows);
/// The same as CSV: figure,unit,baseline,what_if,difference (UTF-8; optional byte order mark).
std::string what_if_csv(const std::vector<WhatIfRow>& rows, bool bom);

}  // namespace suanli::capacity
