// The scenario's grid carbon series as the forecast placement policies see (perfect foresight).
#pragma once

#include <vector>

#include "energy/Conditions.hpp"
#include "model/EnergySettings.hpp"
#include "policy/Placement.hpp"

namespace suanli::policy {

class CarbonOutlook : public Outlook {
 public:
  CarbonOutlook(const model::EnergySettings& energy, const energy::GridCarbon& carbon)
      : energy_(energy), carbon_(carbon) {}
  double mean_carbon_kg_per_kwh(double from_s, double to_s) const override;
  std::vector<double> carbon_change_times(double from_s, double to_s) const override;

 private:
  /// The first hour boundary of the carbon year after t.
  double next_change(double t) const;
  const model::EnergySettings& energy_;
  const energy::GridCarbon& carbon_;
};

}  // namespace suanli::policy
