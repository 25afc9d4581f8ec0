// Weighted sample with exact inverted-CDF quantiles; Erlang C and the M/M/c mean wait.
#include "metrics/Statistics.hpp"

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <limits>
#include <stdexcept>
#include <string>
#include <utility>

namespace suanli::metrics {

namespace {

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();
/// Relative slack on q * total weight (see the Sample class comment).
constexpr double kQuantileSlack = 1e-12;

/// Neumaier's compensated summation: sum + comp carries the rounding error of sum.
void neumaier_add(double& sum, double& comp, double x) {
  const double t = sum + x;
  if (std::abs(sum) >= std::abs(x)) {
    comp += (sum - t) + x;
  } else {
    comp += (x - t) + sum;
  }
  sum = t;
}

}  // namespace

void Sample::add(double x, double weight) {
  if (std::isnan(x)) throw std::invalid_argument("Sample::add: value is NaN");
  if (!std::isfinite(weight) || weight < 0) {
    throw std::invalid_argument("Sample::add: weight must be finite and >= 0, got " + std::to_string(weight));
  }
  if (weight != 1.0 && !weighted_) {
    weights_.reserve(values_.capacity());
    weights_.assign(values_.size(), 1.0);
    weighted_ = true;
  }
  if (values_.empty()) {
    min_ = x;
    max_ = x;
  } else {
    min_ = std::min(min_, x);
    max_ = std::max(max_, x);
    // Sorted means by (value, weight), so that equal values end up in one canonical order.
    if (sorted_ && (x < values_.back() || (weighted_ && x == values_.back() && weight < weights_.back()))) {
      sorted_ = false;
    }
  }
  values_.push_back(x);
  if (weighted_) weights_.push_back(weight);
  neumaier_add(weight_sum_, weight_comp_, weight);
  neumaier_add(wx_sum_, wx_comp_, weight * x);
}

double Sample::mean() const {
  const double w = total_weight();
  if (w <= 0) return kNaN;
  return (wx_sum_ + wx_comp_) / w;
}

double Sample::min() const { return values_.empty() ? kNaN : min_; }

double Sample::max() const { return values_.empty() ? kNaN : max_; }

void Sample::sort() const {
  if (sorted_) return;
  if (!weighted_) {
    std::sort(values_.begin(), values_.end());
  } else {
    std::vector<std::pair<double, double>> pairs(values_.size());
    for (std::size_t i = 0; i < values_.size(); ++i) pairs[i] = {values_[i], weights_[i]};
    std::sort(pairs.begin(), pairs.end());
    for (std::size_t i = 0; i < pairs.size(); ++i) {
      values_[i] = pairs[i].first;
      weights_[i] = pairs[i].second;
    }
  }
  sorted_ = true;
}

double Sample::quantile(double q) const {
  if (!(q >= 0 && q <= 1)) {
    throw std::invalid_argument("Sample::quantile: q must be in [0, 1], got " + std::to_string(q));
  }
  const double total = total_weight();
  if (values_.empty() || total <= 0) return kNaN;
  sort();
  const double target = q * total - kQuantileSlack * total;
  if (!weighted_) {
    // Smallest 0-based index i with i + 1 >= target.
    const double rank = std::ceil(target);
    if (rank <= 1) return values_.front();
    const auto n = values_.size();
    if (rank >= static_cast<double>(n)) return values_.back();
    return values_[static_cast<std::size_t>(rank) - 1];
  }
  double cum = 0;
  double comp = 0;
  for (std::size_t i = 0; i < values_.size(); ++i) {
    neumaier_add(cum, comp, weights_[i]);
    if (cum + comp >= target) return values_[i];
  }
  return values_.back();
}

double erlang_c(double servers, double offered_load_erlangs) {
  const double a = offered_load_erlangs;
  const double c = servers;
  if (!(c > 0) || !std::isfinite(c))
    throw std::invalid_argument("erlang_c: servers must be > 0, got " + std::to_string(servers));
  if (!(a >= 0 && a < c)) {
    throw std::invalid_argument("erlang_c: offered load " + std::to_string(a) + " Erlangs must be in [0, " +
                                std::to_string(servers) + ") for a stable queue");
  }
  const double rho = a / c;
  double b = 1.0;
  const auto n = static_cast<std::int64_t>(std::floor(c));
  for (std::int64_t k = 1; k <= n; ++k) b = a * b / (static_cast<double>(k) + a * b);
  return b / (1 - rho * (1 - b));
}

double mmc_mean_wait_s(int servers, double arrival_rate_per_s, double service_rate_per_s) {
  const double lambda = arrival_rate_per_s;
  const double mu = service_rate_per_s;
  if (!(lambda >= 0) || !std::isfinite(lambda)) {
    throw std::invalid_argument("mmc_mean_wait_s: arrival rate must be finite and >= 0");
  }
  if (!(mu > 0) || !std::isfinite(mu)) {
    throw std::invalid_argument("mmc_mean_wait_s: service rate must be finite and > 0");
  }
  const double c_wait = erlang_c(servers, lambda / mu);
  const double spare_rate_per_s = servers * mu - lambda;
  if (!(spare_rate_per_s > 0)) throw std::invalid_argument("mmc_mean_wait_s: arrival rate must be < c mu");
  return c_wait / spare_rate_per_s;
}

}  // namespace suanli::metrics
