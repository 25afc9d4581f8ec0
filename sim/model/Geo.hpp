// Great-circle distance between coordinates, in km.
#pragma once

namespace suanli::model {

/// Mean Earth radius used for distances (IUGG mean radius).
inline constexpr double kEarthRadiusKm = 6371.0088;

/// Haversine great-circle distance in km between two (latitude, longitude) points in degrees.
double great_circle_km(double lat1_deg, double lon1_deg, double lat2_deg, double lon2_deg);

}  // namespace suanli::model
