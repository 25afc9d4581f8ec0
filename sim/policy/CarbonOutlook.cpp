// The scenario's grid carbon series as a forecast (see the header).
#include "policy/CarbonOutlook.hpp"

#include <algorithm>
#include <cmath>

#include "energy/Conditions.hpp"

namespace suanli::policy {

double CarbonOutlook::mean_carbon_kg_per_kwh(double from_s, double to_s) const {
  if (to_s <= from_s) return carbon_.kg_per_kwh(energy::hour_of_year(energy_, from_s));
  double sum = 0;
  for (double t = from_s; t < to_s;) {
    const double next = std::min(to_s, next_change(t));
    sum += carbon_.kg_per_kwh(energy::hour_of_year(energy_, t)) * (next - t);
    t = next;
  }
  return sum / (to_s - from_s);
}

std::vector<double> CarbonOutlook::carbon_change_times(double from_s, double to_s) const {
  std::vector<double> out;
  if (!carbon_.hourly()) return out;
  for (double t = next_change(from_s); t <= to_s; t = next_change(t)) out.push_back(t);
  return out;
}

double CarbonOutlook::next_change(double t) const {
  const double h = energy_.start_hour_of_year + t / 3600.0;
  return (std::floor(h + 1e-9) + 1 - energy_.start_hour_of_year) * 3600.0;
}

}  // namespace suanli::policy
