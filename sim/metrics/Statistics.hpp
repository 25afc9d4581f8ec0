// Summary statistics of simulation outputs (weighted sample, exact quantiles) and M/M/c queueing formulas.
#pragma once

#include <cstddef>
#include <vector>

namespace suanli::metrics {

/// A sample of doubles (e.g. job waiting times in s, power in W), each with a weight (e.g. a job's
/// core-seconds; 1 when not given). Values are kept, so quantiles are exact: 8 bytes per value, 16
/// once any weight differs from 1 (about 80 MB / 160 MB for 10 million values).
///
/// Weighted quantile (the "inverted CDF" definition): quantile(q) is the smallest stored x such that
/// the total weight of the values <= x is at least q * total_weight(). With unit weights this is the
/// nearest-rank quantile: the value of rank ceil(q * n) in ascending order (rank 1 when q = 0), so
/// for 1..100 the 0.5, 0.95 and 0.99 quantiles are 50, 95 and 99. No interpolation: the answer is
/// always one of the values added. The comparison allows a relative slack of 1e-12 of the total
/// weight, so that q * n computed in binary (0.07 * 100 = 7.000000000000001) still selects rank 7.
///
/// Empty sample (or zero total weight): mean() and quantile() return NaN, as do min() and max()
/// when nothing was added. Results depend only on the multiset of (value, weight) pairs added,
/// except mean(), whose compensated running sums depend on the order of add() calls only in the
/// last bits. quantile() sorts the stored values on first use after an add() (so it is const but
/// not safe to call from two threads at once).
class Sample {
 public:
  /// Adds a value with its weight. Throws std::invalid_argument if x is NaN or the weight is
  /// negative or not finite. Zero-weight values count in count(), min() and max() only.
  void add(double x, double weight = 1.0);

  std::size_t count() const { return values_.size(); }
  double total_weight() const { return weight_sum_ + weight_comp_; }
  /// Weighted mean sum(w x) / sum(w); NaN when the total weight is 0.
  double mean() const;
  double min() const;
  double max() const;
  /// Weighted inverted-CDF quantile, see the class comment. Throws std::invalid_argument unless
  /// 0 <= q <= 1.
  double quantile(double q) const;

 private:
  void sort() const;

  mutable std::vector<double> values_;
  mutable std::vector<double> weights_;  ///< parallel to values_ once weighted_; empty before
  bool weighted_ = false;                ///< some weight differed from 1
  mutable bool sorted_ = true;
  double min_ = 0;
  double max_ = 0;
  // Neumaier-compensated sums of w and of w * x.
  double weight_sum_ = 0;
  double weight_comp_ = 0;
  double wx_sum_ = 0;
  double wx_comp_ = 0;
};

/// Erlang C: the probability that an arrival waits in an M/M/c queue with c = `servers` and offered
/// load A = lambda / mu (Erlangs). Computed through the Erlang B recursion B(0) = 1,
/// B(k) = A B(k-1) / (k + A B(k-1)) for k = 1 .. floor(c), then C = B / (1 - rho (1 - B)) with
/// rho = A / c, which is stable for thousands of servers. Source: Kleinrock, Queueing Systems vol. 1
/// (1975), sec. 3.5. Example: c = 1 gives C = A (= rho); c = 2, A = 1 gives 1/3. A fractional c (a
/// pool of cores summed over hosts) runs the recursion to floor(c). Throws std::invalid_argument
/// unless c > 0 and 0 <= A < c (the queue must be stable). The one Erlang C of suanli: the capacity
/// growth path (capacity::erlang_c_wait_within) uses it too.
double erlang_c(double servers, double offered_load_erlangs);

/// Mean waiting time in the queue of an M/M/c system, in seconds:
/// Wq = C(c, A) / (c mu - lambda), with A = lambda / mu. For c = 1, Wq = rho / (mu - lambda).
/// Example: c = 10, rho = 0.8 gives Wq mu = 0.2046. Throws std::invalid_argument unless
/// arrival_rate_per_s >= 0, service_rate_per_s > 0 and lambda < c mu.
double mmc_mean_wait_s(int servers, double arrival_rate_per_s, double service_rate_per_s);

}  // namespace suanli::metrics
