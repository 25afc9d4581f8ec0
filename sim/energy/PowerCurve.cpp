// Reads SPECpower 11-point power tables and interpolates server power at a load.
#include "energy/PowerCurve.hpp"

#include <algorithm>
#include <cmath>
#include <optional>
#include <stdexcept>
#include <string_view>
#include <vector>

#include "io/Format.hpp"
#include "io/LineReader.hpp"

namespace suanli::energy {

namespace {

constexpr std::size_t kPoints = 11;

std::vector<std::string_view> split_whitespace(std::string_view text) {
  std::vector<std::string_view> words;
  std::size_t i = 0;
  while (i < text.size()) {
    const auto start = text.find_first_not_of(" \t", i);
    if (start == std::string_view::npos) break;
    const auto end = std::min(text.find_first_of(" \t", start), text.size());
    words.push_back(text.substr(start, end - start));
    i = end;
  }
  return words;
}

}  // namespace

double PowerCurve::at(double load) const {
  if (std::isnan(load)) throw std::invalid_argument("PowerCurve::at: load is NaN");
  const double x = std::clamp(load, 0.0, 1.0) * 10.0;
  const auto i = std::min(static_cast<std::size_t>(x), kPoints - 2);
  const double fraction = x - static_cast<double>(i);
  return watts[i] + (watts[i + 1] - watts[i]) * fraction;
}

PowerCurve read_specpower_file(const std::string& path) {
  io::LineReader lines(path);
  std::optional<std::string_view> text;
  for (;;) {
    text = lines.next();
    if (!text) {
      lines.fail(lines.line() == 0
                     ? std::string("empty file, expected a line of 11 power values in W")
                     : "no line of power values, only blank or comment lines; expected 11 power "
                       "values in W at 0, 10, ..., 100 % load");
    }
    const auto first = text->find_first_not_of(" \t");
    if (first != std::string_view::npos && (*text)[first] != '*' && (*text)[first] != '#') break;
  }
  const auto words = split_whitespace(*text);
  if (words.size() != kPoints) {
    lines.fail("expected 11 whitespace-separated power values in W (at 0, 10, ..., 100 % load), got " +
               std::to_string(words.size()));
  }
  PowerCurve curve;
  for (std::size_t i = 0; i < kPoints; ++i) {
    const std::string label =
        "value " + std::to_string(i + 1) + " (power at " + std::to_string(i * 10) + " % load)";
    const double watts = lines.to_number(words[i], label);
    if (watts <= 0.0) lines.fail(label + ": " + io::format_double(watts) + " W is not positive");
    if (i > 0 && watts < curve.watts[i - 1]) {
      lines.fail(label + ": " + io::format_double(watts) + " W is below the " +
                 io::format_double(curve.watts[i - 1]) + " W at " + std::to_string((i - 1) * 10) +
                 " % load; power must not decrease with load");
    }
    curve.watts[i] = watts;
  }
  return curve;
}

double linear_fit_error(const PowerCurve& curve) {
  const double idle = curve.watts.front();
  const double peak = curve.watts.back();
  double worst = 0.0;
  for (std::size_t i = 0; i < kPoints; ++i) {
    const double line = idle + (peak - idle) * static_cast<double>(i) / 10.0;
    worst = std::max(worst, std::abs(curve.watts[i] - line));
  }
  return worst / peak;
}

}  // namespace suanli::energy
