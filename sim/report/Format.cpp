// SVG coordinates for the report.
#include "report/Format.hpp"

#include <cmath>

#include "io/Format.hpp"

namespace suanli::report {

std::string coord(double x) { return std::isfinite(x) ? io::format_fixed(x, 1) : "0"; }

}  // namespace suanli::report
