// The io layer's readable number formats and table columns, and the one Erlang C both fast paths use.
#include <gtest/gtest.h>

#include <cmath>
#include <limits>
#include <string>

#include "capacity/Growth.hpp"
#include "io/Format.hpp"
#include "io/Table.hpp"
#include "metrics/Statistics.hpp"

namespace {

using namespace suanli;
constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();
constexpr double kInf = std::numeric_limits<double>::infinity();

TEST(IoFormat, GroupThousandsKeepsTheSignAndTheDecimals) {
  EXPECT_EQ(io::group_thousands("1234567.891"), "1,234,567.891");
  EXPECT_EQ(io::group_thousands("-1234"), "-1,234");
  EXPECT_EQ(io::group_thousands("999"), "999");
  EXPECT_EQ(io::group_thousands("100000"), "100,000");
  EXPECT_EQ(io::group_thousands(""), "");
}

TEST(IoFormat, GroupedRoundsDropsNegativeZeroAndShowsMissingAsDash) {
  EXPECT_EQ(io::grouped(1234567.891, 2), "1,234,567.89");
  EXPECT_EQ(io::grouped(2.5, 0), "2");  // to nearest, ties to even on the binary value
  EXPECT_EQ(io::grouped(-0.004, 2), "0.00");
  EXPECT_EQ(io::grouped(-0.5, 0), "0");
  EXPECT_EQ(io::grouped(-1234.5, 1), "-1,234.5");
  EXPECT_EQ(io::grouped(kNaN, 2), "-");
  EXPECT_EQ(io::grouped(kInf, 2), "-");
}

TEST(IoFormat, SignificantPercentWholeSigned) {
  EXPECT_EQ(io::significant(0.000117, 3), "0.000117");
  EXPECT_EQ(io::significant(3.0368, 3), "3.04");
  EXPECT_EQ(io::significant(1234567, 3), "1,234,567");
  EXPECT_EQ(io::significant(0, 3), "0");
  EXPECT_EQ(io::percent(0.11521, 1), "11.5 %");
  EXPECT_EQ(io::percent(1, 0), "100 %");
  EXPECT_EQ(io::percent(kNaN, 1), "-");
  EXPECT_EQ(io::whole(380031.6), "380,032");
  EXPECT_EQ(io::signed_grouped(1.234, 2), "+1.23");
  EXPECT_EQ(io::signed_grouped(-0.5, 1), "-0.5");
  EXPECT_EQ(io::signed_grouped(0.001, 2), "0.00");
  EXPECT_EQ(io::duration_words(2700), "45.0 min");
  EXPECT_EQ(io::duration_words(3600), "1.00 h");
  EXPECT_EQ(io::duration_words(3.5 * 86400), "3.50 d");
}

TEST(IoFormat, FixedOrDashAndGeneral) {
  EXPECT_EQ(io::format_fixed_or_dash(1.0 / 3, 3), "0.333");
  EXPECT_EQ(io::format_fixed_or_dash(kNaN, 3), "-");
  EXPECT_EQ(io::format_fixed_or_dash(-kInf, 3), "-");
  EXPECT_EQ(io::format_general(1.0 / 3), "0.333333");
  EXPECT_EQ(io::format_general(1e18), "1e+18");
  EXPECT_EQ(io::format_general(-5), "-5");
}

TEST(IoTable, ColumnsAlignAndNeverTouch) {
  EXPECT_EQ(io::column("ab", 5), "   ab");
  EXPECT_EQ(io::column("ab", 5, true), "ab   ");
  EXPECT_EQ(io::column("abcde", 5), "abcde ");  // as wide as the column: one space after
  EXPECT_EQ(io::column("abcdefg", 5, true), "abcdefg ");
  EXPECT_EQ(io::pad_right("ab", 4), "ab  ");
  EXPECT_EQ(io::pad_left("ab", 4), "  ab");
  EXPECT_EQ(io::pad_right("abcdef", 4), "abcdef");  // no space added when too wide
  EXPECT_EQ(io::pad_left("abcdef", 4), "abcdef");
}

TEST(ErlangC, FractionalServersRunTheRecursionToTheFloor) {
  // c = 2.5, A = 1: Erlang B to k = 2 gives B = 1/5; C = B / (1 - rho (1 - B)) with rho = 0.4.
  const double b = 0.2;
  EXPECT_NEAR(metrics::erlang_c(2.5, 1.0), b / (1 - 0.4 * (1 - b)), 1e-15);
  EXPECT_THROW(metrics::erlang_c(2.5, 2.5), std::invalid_argument);
  EXPECT_THROW(metrics::erlang_c(kInf, 1.0), std::invalid_argument);
}

TEST(ErlangC, TheGrowthPathUsesTheSameErlangC) {
  // P(wait <= t) = 1 - C exp(-(c - A) t / s): at t = 0 exactly 1 - C.
  for (const double c : {1.0, 2.0, 7.0, 40.0})
    for (const double rho : {0.3, 0.8, 0.95})
      EXPECT_DOUBLE_EQ(capacity::erlang_c_wait_within(c, rho * c, 1.0, 0.0),
                       1 - metrics::erlang_c(c, rho * c))
          << c << " " << rho;
}

}  // namespace
