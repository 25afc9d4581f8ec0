// Haversine distance.
#include "model/Geo.hpp"

#include <algorithm>
#include <cmath>
#include <numbers>

namespace suanli::model {

double great_circle_km(double lat1_deg, double lon1_deg, double lat2_deg, double lon2_deg) {
  constexpr double kRad = std::numbers::pi / 180.0;
  const double dlat = (lat2_deg - lat1_deg) * kRad;
  const double dlon = (lon2_deg - lon1_deg) * kRad;
  const double a = std::sin(dlat / 2) * std::sin(dlat / 2) + std::cos(lat1_deg * kRad) *
                                                                 std::cos(lat2_deg * kRad) *
                                                                 std::sin(dlon / 2) * std::sin(dlon / 2);
  return 2.0 * kEarthRadiusKm * std::asin(std::min(1.0, std::sqrt(a)));
}

}  // namespace suanli::model
