// Server power against load from an 11-point SPECpower_ssj2008 table, and its gap to a linear model.
#pragma once

#include <array>
#include <string>

namespace suanli::energy {

/// A server's wall power at 0, 10, …, 100 % load [W], as published by SPECpower_ssj2008
/// (https://www.spec.org/power_ssj2008/results/, column "Average Active Power"; 0 % is active
/// idle). Between the points power is interpolated linearly:
///   P(u) = P[i] + (P[i+1] − P[i])·(10u − i),  i = ⌊10u⌋,  u = load in [0, 1] (clamped).
/// SimGrid's host energy model is the straight line P_idle + (P_max − P_idle)·u through the two
/// end points; linear_fit_error() says how far a table is from it.
struct PowerCurve {
  std::array<double, 11> watts{};  ///< power [W] at 0 %, 10 %, …, 100 % load

  /// Power [W] at `load` (fraction of full load; below 0 reads as 0, above 1 as 1).
  /// Throws std::invalid_argument if load is NaN.
  double at(double load) const;
};

/// Reads a CloudSim-style SPECpower file (e.g. PowerModelSpecPowerIbmX3250XeonX3470.txt): the first
/// line that is neither blank nor a comment (starting with '*' or '#') holds 11 whitespace-separated
/// power values [W]; every later line is ignored (CloudSim's files put a licence and the SPEC result
/// link there). The values must be finite, positive and non-decreasing.
/// Throws model::UserError(path, "line N", message).
PowerCurve read_specpower_file(const std::string& path);

/// Largest gap between the table and the straight line from idle to maximum power, as a fraction
/// of maximum power: max over the 11 points i of |P[i] − (P[0] + (P[10] − P[0])·i/10)| / P[10].
double linear_fit_error(const PowerCurve& curve);

}  // namespace suanli::energy
