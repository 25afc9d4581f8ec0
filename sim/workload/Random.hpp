// Deterministic random numbers: the same seed gives the same draws on every platform.
#pragma once

#include <cmath>
#include <cstdint>

namespace suanli::workload {

/// SplitMix64 (Steele, Lea, Flood 2014): a small generator with good statistical quality, used here
/// both to derive per-stream seeds and as the stream itself. Every draw is defined bit for bit, so
/// outputs do not depend on the standard library's distribution implementations.
class Random {
 public:
  explicit Random(std::uint64_t seed) : state_(seed) {}

  /// A seed for sub-stream `stream` of `seed` (classes, origins, ...).
  static std::uint64_t derive(std::uint64_t seed, std::uint64_t stream) {
    Random r(seed ^ (0x9E3779B97F4A7C15ull * (stream + 1)));
    r.next_u64();
    return r.next_u64();
  }

  std::uint64_t next_u64() {
    std::uint64_t z = (state_ += 0x9E3779B97F4A7C15ull);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
    return z ^ (z >> 31);
  }
  /// Uniform in [0, 1), 53 bits.
  double uniform() { return static_cast<double>(next_u64() >> 11) * 0x1.0p-53; }
  /// Exponential with the given mean.
  double exponential(double mean) { return -mean * std::log1p(-uniform()); }
  /// Index drawn with probability proportional to weights[i] (cumulative weights given).
  template <typename Container>
  std::size_t pick_cumulative(const Container& cumulative) {
    const double x = uniform() * cumulative.back();
    std::size_t lo = 0, hi = cumulative.size() - 1;
    while (lo < hi) {
      const std::size_t mid = (lo + hi) / 2;
      if (cumulative[mid] > x)
        hi = mid;
      else
        lo = mid + 1;
    }
    return lo;
  }

 private:
  std::uint64_t state_;
};

}  // namespace suanli::workload
