// Metrics helpers: statistics, Erlang C, atomic/gzip output files, number formatting, progress bar.
#include <gtest/gtest.h>
#include <sys/stat.h>
#include <unistd.h>
#include <zlib.h>

#include <cmath>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <limits>
#include <memory>
#include <sstream>
#include <stdexcept>
#include <string>

#include "TempDir.hpp"
#include "TestScenarios.hpp"
#include "io/Format.hpp"
#include "io/OutputFile.hpp"
#include "metrics/Progress.hpp"
#include "metrics/RunReport.hpp"
#include "metrics/Statistics.hpp"
#include "model/Error.hpp"

namespace fs = std::filesystem;
namespace io = suanli::io;
namespace metrics = suanli::metrics;

namespace {

std::string read_text(const fs::path& p) {
  std::ifstream in(p, std::ios::binary);
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

std::string read_gzip(const fs::path& p) {
  gzFile gz = gzopen(p.c_str(), "rb");
  if (gz == nullptr) return "<cannot open>";
  std::string out;
  char buf[4096];
  int n = 0;
  while ((n = gzread(gz, buf, sizeof buf)) > 0) out.append(buf, static_cast<std::size_t>(n));
  gzclose(gz);
  return out;
}

/// Erlang C from its textbook form, sum_{k<c} A^k/k! against A^c/c! * c/(c-A), for small c.
double erlang_c_direct(int c, double a) {
  double term = 1.0;  // A^k / k!
  double sum = 0.0;
  for (int k = 0; k < c; ++k) {
    sum += term;
    term *= a / (k + 1);
  }
  const double tail = term * c / (c - a);
  return tail / (sum + tail);
}

}  // namespace

// ---------------------------------------------------------------------------------------------
// Sample

TEST(Sample, NearestRankQuantilesOfOneToHundred) {
  metrics::Sample s;
  for (int i = 100; i >= 1; --i) s.add(i);  // added in reverse: quantile must sort
  EXPECT_EQ(s.count(), 100u);
  EXPECT_DOUBLE_EQ(s.total_weight(), 100.0);
  EXPECT_DOUBLE_EQ(s.mean(), 50.5);
  EXPECT_DOUBLE_EQ(s.min(), 1.0);
  EXPECT_DOUBLE_EQ(s.max(), 100.0);
  EXPECT_EQ(s.quantile(0.5), 50.0);
  EXPECT_EQ(s.quantile(0.95), 95.0);
  EXPECT_EQ(s.quantile(0.99), 99.0);
  EXPECT_EQ(s.quantile(0.07), 7.0);  // 0.07 * 100 is 7.000000000000001 in binary
  EXPECT_EQ(s.quantile(0.071), 8.0);
  EXPECT_EQ(s.quantile(0.0), 1.0);
  EXPECT_EQ(s.quantile(1.0), 100.0);
  EXPECT_THROW(s.quantile(1.5), std::invalid_argument);
  EXPECT_THROW(s.quantile(-0.1), std::invalid_argument);
}

TEST(Sample, AddAfterQuantileResorts) {
  metrics::Sample s;
  s.add(3);
  s.add(1);
  EXPECT_EQ(s.quantile(0.5), 1.0);
  s.add(0);
  s.add(-1);
  EXPECT_EQ(s.quantile(0.5), 0.0);
  EXPECT_EQ(s.quantile(0.25), -1.0);
}

TEST(Sample, WeightedMeanAndQuantile) {
  metrics::Sample s;
  s.add(10.0, 1.0);
  s.add(20.0, 3.0);
  s.add(40.0, 6.0);
  EXPECT_EQ(s.count(), 3u);
  EXPECT_DOUBLE_EQ(s.total_weight(), 10.0);
  EXPECT_NEAR(s.mean(), (10.0 + 60.0 + 240.0) / 10.0, 1e-12);
  // Cumulative weights 1, 4, 10 of 10.
  EXPECT_EQ(s.quantile(0.1), 10.0);
  EXPECT_EQ(s.quantile(0.11), 20.0);
  EXPECT_EQ(s.quantile(0.4), 20.0);
  EXPECT_EQ(s.quantile(0.41), 40.0);
  EXPECT_EQ(s.quantile(1.0), 40.0);
  EXPECT_EQ(s.min(), 10.0);
  EXPECT_EQ(s.max(), 40.0);
}

TEST(Sample, WeightsAfterUnitValuesAndFractionalSums) {
  metrics::Sample s;
  s.add(5.0);  // weight 1, stored unweighted until a weight differs
  s.add(1.0);
  s.add(3.0, 2.0);
  EXPECT_DOUBLE_EQ(s.total_weight(), 4.0);
  EXPECT_NEAR(s.mean(), (5.0 + 1.0 + 6.0) / 4.0, 1e-12);
  EXPECT_EQ(s.quantile(0.25), 1.0);
  EXPECT_EQ(s.quantile(0.75), 3.0);
  EXPECT_EQ(s.quantile(0.76), 5.0);

  // Ten weights of 0.1: the running sum 0.1 + 0.1 + 0.1 is not exactly 0.3 in binary.
  metrics::Sample t;
  for (int i = 1; i <= 10; ++i) t.add(i, 0.1);
  EXPECT_EQ(t.quantile(0.3), 3.0);
  EXPECT_EQ(t.quantile(0.7), 7.0);
}

TEST(Sample, EmptyAndInvalid) {
  metrics::Sample s;
  EXPECT_EQ(s.count(), 0u);
  EXPECT_EQ(s.total_weight(), 0.0);
  EXPECT_TRUE(std::isnan(s.mean()));
  EXPECT_TRUE(std::isnan(s.quantile(0.5)));
  EXPECT_TRUE(std::isnan(s.min()));
  EXPECT_TRUE(std::isnan(s.max()));
  EXPECT_THROW(s.add(std::numeric_limits<double>::quiet_NaN()), std::invalid_argument);
  EXPECT_THROW(s.add(1.0, -1.0), std::invalid_argument);
  EXPECT_THROW(s.add(1.0, std::numeric_limits<double>::infinity()), std::invalid_argument);
  s.add(2.0, 0.0);  // zero weight: counted, but no mean
  EXPECT_EQ(s.count(), 1u);
  EXPECT_TRUE(std::isnan(s.mean()));
  EXPECT_TRUE(std::isnan(s.quantile(0.5)));
}

// ---------------------------------------------------------------------------------------------
// Erlang C and M/M/c

TEST(ErlangC, SingleServerIsRho) {
  for (const double rho : {0.0, 0.1, 0.5, 0.9, 0.99}) EXPECT_NEAR(metrics::erlang_c(1, rho), rho, 1e-15);
  // M/M/1: Wq = rho / (mu - lambda).
  const double lambda = 3.0;
  const double mu = 4.0;
  EXPECT_NEAR(metrics::mmc_mean_wait_s(1, lambda, mu), 0.75 / (mu - lambda), 1e-15);  // 0.75 s
}

TEST(ErlangC, KnownValues) {
  EXPECT_NEAR(metrics::erlang_c(2, 1.0), 1.0 / 3.0, 1e-15);
  for (const int c : {2, 5, 10, 20}) {
    for (const double rho : {0.3, 0.8, 0.95}) {
      EXPECT_NEAR(metrics::erlang_c(c, rho * c), erlang_c_direct(c, rho * c), 1e-12) << c << " " << rho;
    }
  }
  // c = 10, rho = 0.8 (A = 8 Erlangs): Wq mu = C / (c - A), the textbook 0.2046.
  const double mu = 0.5;  // per second
  const double wq_times_mu = metrics::mmc_mean_wait_s(10, 8.0 * mu, mu) * mu;
  EXPECT_NEAR(wq_times_mu, erlang_c_direct(10, 8.0) / 2.0, 1e-12);
  EXPECT_NEAR(wq_times_mu, 0.2046, 1e-4);
  // Stable for large systems, where A^c / c! overflows the direct formula.
  const double big = metrics::erlang_c(5000, 4900.0);
  EXPECT_GT(big, 0.0);
  EXPECT_LT(big, 1.0);
}

TEST(ErlangC, InvalidLoadThrows) {
  EXPECT_THROW(metrics::erlang_c(2, 2.0), std::invalid_argument);
  EXPECT_THROW(metrics::erlang_c(2, 3.0), std::invalid_argument);
  EXPECT_THROW(metrics::erlang_c(2, -0.5), std::invalid_argument);
  EXPECT_THROW(metrics::erlang_c(0, 0.5), std::invalid_argument);
  EXPECT_THROW(metrics::erlang_c(2, std::numeric_limits<double>::quiet_NaN()), std::invalid_argument);
  EXPECT_THROW(metrics::mmc_mean_wait_s(1, 2.0, 1.0), std::invalid_argument);
  EXPECT_THROW(metrics::mmc_mean_wait_s(1, 0.5, 0.0), std::invalid_argument);
}

// ---------------------------------------------------------------------------------------------
// OutputFile

TEST(OutputFile, CommitMakesTheFinalFileAppear) {
  const suanli::test::TempDir dir("metrics");
  const fs::path final_path = dir.path() / "jobs.csv";
  {
    io::OutputFile out(final_path.string());
    out.write("id,wait_s\n");
    EXPECT_TRUE(fs::exists(out.partial_path()));
    EXPECT_FALSE(fs::exists(final_path));
    out.write("1,0.5\n");
    out.commit();
    EXPECT_THROW(out.write("late"), std::logic_error);
  }
  EXPECT_EQ(read_text(final_path), "id,wait_s\n1,0.5\n");
  EXPECT_FALSE(fs::exists(final_path.string() + ".partial"));
}

TEST(OutputFile, TemporaryNameIsUnpredictableAndInTheFolder) {
  const suanli::test::TempDir dir("metrics");
  const fs::path final_path = dir.path() / "summary.json";
  io::OutputFile a(final_path.string());
  io::OutputFile b((dir.path() / "summary2.json").string());
  EXPECT_EQ(fs::path(a.partial_path()).parent_path(), dir.path());
  EXPECT_NE(a.partial_path(), final_path.string() + ".partial");
  const std::string name = fs::path(a.partial_path()).filename().string();
  EXPECT_EQ(name.substr(0, 14), ".summary.json.");
  EXPECT_EQ(name.size(), 14u + 16u + 8u);  // 16 hex digits, ".partial"
  EXPECT_NE(name.substr(14, 16), fs::path(b.partial_path()).filename().string().substr(15, 16));
}

TEST(OutputFile, PlantedSymlinkIsReplacedNotFollowed) {
  const suanli::test::TempDir dir("metrics");
  const fs::path victim = dir.path() / "victim.txt";
  { std::ofstream(victim) << "keep\n"; }
  const fs::path final_path = dir.path() / "out.csv";
  fs::create_symlink(victim, final_path);
  io::OutputFile out(final_path.string());
  out.write("new\n");
  out.commit();
  EXPECT_EQ(read_text(victim), "keep\n");
  EXPECT_FALSE(fs::is_symlink(fs::symlink_status(final_path)));
  EXPECT_EQ(read_text(final_path), "new\n");
}

TEST(OutputFile, NeverReplacesADeviceOrAFifo) {
  const suanli::test::TempDir dir("metrics");
  const fs::path fifo = dir.path() / "fifo";
  ASSERT_EQ(::mkfifo(fifo.c_str(), 0600), 0);
  EXPECT_THROW(io::OutputFile(fifo.string()), suanli::model::UserError);
  EXPECT_TRUE(fs::is_fifo(fs::symlink_status(fifo)));
  EXPECT_THROW(io::OutputFile("/dev/null"), suanli::model::UserError);
  EXPECT_TRUE(fs::is_character_file(fs::symlink_status("/dev/null")));
  EXPECT_EQ(std::distance(fs::directory_iterator(dir.path()), fs::directory_iterator()),
            1);  // no temporary file
}

TEST(OutputFile, SpreadsheetCellsNeverStartAFormula) {
  EXPECT_EQ(io::spreadsheet_cell("=1+1"), "'=1+1");
  EXPECT_EQ(io::spreadsheet_cell("+86"), "'+86");
  EXPECT_EQ(io::spreadsheet_cell("-x"), "'-x");
  EXPECT_EQ(io::spreadsheet_cell("@SUM(A1)"), "'@SUM(A1)");
  EXPECT_EQ(io::spreadsheet_cell("=HYPERLINK(\"u\",\"t\")"), "\"'=HYPERLINK(\"\"u\"\",\"\"t\"\")\"");
  EXPECT_EQ(io::spreadsheet_cell("fuzhou"), "fuzhou");
  EXPECT_EQ(io::spreadsheet_cell("a,b"), "\"a,b\"");
  EXPECT_EQ(io::spreadsheet_cell(""), "");
}

TEST(OutputFile, LargeOutputCrossesTheBuffer) {
  const suanli::test::TempDir dir("metrics");
  const fs::path final_path = dir.path() / "big.csv";
  std::string expected;
  {
    io::OutputFile out(final_path.string());
    for (int i = 0; i < 200000; ++i) {
      const std::string line = std::to_string(i) + ",some text\n";
      out.write(line);
      expected += line;
    }
    const std::string huge(3 * io::OutputFile::kBufferBytes, 'x');
    out.write(huge);
    expected += huge;
    out.commit();
  }
  EXPECT_EQ(read_text(final_path), expected);
}

TEST(OutputFile, WithoutCommitNothingRemains) {
  const suanli::test::TempDir dir("metrics");
  const fs::path final_path = dir.path() / "jobs.csv";
  {
    io::OutputFile out(final_path.string());
    out.write("half a line");
  }
  EXPECT_FALSE(fs::exists(final_path));
  EXPECT_FALSE(fs::exists(final_path.string() + ".partial"));
  EXPECT_TRUE(fs::is_empty(dir.path()));
}

TEST(OutputFile, GzipDecompressesToTheContent) {
  const suanli::test::TempDir dir("metrics");
  const fs::path final_path = dir.path() / "jobs.csv.gz";
  std::string expected;
  {
    io::OutputFile out(final_path.string(), true);
    for (int i = 0; i < 50000; ++i) {
      const std::string line = std::to_string(i) + "," + std::to_string(i * 7) + "\n";
      out.write(line);
      expected += line;
    }
    out.commit();
  }
  EXPECT_FALSE(fs::exists(final_path.string() + ".partial"));
  const std::string raw = read_text(final_path);
  ASSERT_GE(raw.size(), 2u);
  EXPECT_EQ(static_cast<unsigned char>(raw[0]), 0x1f);  // gzip magic
  EXPECT_EQ(static_cast<unsigned char>(raw[1]), 0x8b);
  EXPECT_LT(raw.size(), expected.size());
  EXPECT_EQ(read_gzip(final_path), expected);
}

TEST(OutputFile, GzipWithoutCommitNothingRemains) {
  const suanli::test::TempDir dir("metrics");
  {
    io::OutputFile out((dir.path() / "x.csv.gz").string(), true);
    out.write("abc\n");
  }
  EXPECT_TRUE(fs::is_empty(dir.path()));
}

TEST(OutputFile, MissingFolderThrowsUserError) {
  const suanli::test::TempDir dir("metrics");
  const std::string path = (dir.path() / "no-such-folder" / "jobs.csv").string();
  for (const bool gzip : {false, true}) {
    try {
      io::OutputFile out(path, gzip);
      FAIL() << "expected a UserError";
    } catch (const suanli::model::UserError& e) {
      EXPECT_EQ(e.file(), path);
      EXPECT_NE(std::string(e.what()).find("No such file or directory"), std::string::npos) << e.what();
    }
  }
  EXPECT_TRUE(fs::is_empty(dir.path()));
}

TEST(OutputFile, CommitOntoAFolderThrowsAndCleansUp) {
  const suanli::test::TempDir dir("metrics");
  const fs::path final_path = dir.path() / "taken";
  fs::create_directory(final_path);
  // Refused up front, before any write: a folder is never an output file.
  EXPECT_THROW(io::OutputFile(final_path.string()), suanli::model::UserError);
  {
    // A folder that appears at the final name meanwhile makes the commit fail, and cleans up.
    const fs::path later = dir.path() / "later";
    io::OutputFile out(later.string());
    out.write("data\n");
    fs::create_directory(later);
    fs::create_directory(later / "inside");  // a non-empty folder cannot be replaced by rename
    EXPECT_THROW(out.commit(), suanli::model::UserError);
  }
  EXPECT_EQ(std::distance(fs::directory_iterator(dir.path()), fs::directory_iterator()),
            2);  // the folders only
  EXPECT_TRUE(fs::is_directory(final_path));
}

// ---------------------------------------------------------------------------------------------
// Formatting

TEST(Format, CsvEscape) {
  EXPECT_EQ(io::csv_escape("plain text"), "plain text");
  EXPECT_EQ(io::csv_escape(""), "");
  EXPECT_EQ(io::csv_escape("a,b"), "\"a,b\"");
  EXPECT_EQ(io::csv_escape("say \"hi\""), "\"say \"\"hi\"\"\"");
  EXPECT_EQ(io::csv_escape("two\nlines"), "\"two\nlines\"");
  EXPECT_EQ(io::csv_escape("cr\rhere"), "\"cr\rhere\"");
}

TEST(Format, DoubleRoundTrips) {
  for (const double x : {0.1, 1e-300, 123456789.125, 0.0, -2.5, 1.0 / 3.0, 6.02214076e23,
                         std::numeric_limits<double>::denorm_min(), std::numeric_limits<double>::max()}) {
    const std::string text = io::format_double(x);
    EXPECT_EQ(std::strtod(text.c_str(), nullptr), x) << text;
  }
  EXPECT_EQ(io::format_double(0.1), "0.1");
  EXPECT_EQ(io::format_double(1e-300), "1e-300");
  EXPECT_EQ(io::format_double(123456789.125), "123456789.125");
  EXPECT_EQ(io::format_double(3.0), "3");
}

TEST(Format, Fixed) {
  EXPECT_EQ(io::format_fixed(3.14159, 2), "3.14");
  EXPECT_EQ(io::format_fixed(2.5, 0), "2");  // exact tie: round half to even
  EXPECT_EQ(io::format_fixed(0.125, 2), "0.12");
  EXPECT_EQ(io::format_fixed(-1.0, 3), "-1.000");
  EXPECT_EQ(io::format_fixed(1e20, 1), "100000000000000000000.0");
  EXPECT_EQ(io::format_fixed(std::numeric_limits<double>::max(), 2).size(), 309u + 3u);
  EXPECT_THROW(io::format_fixed(1.0, -1), std::invalid_argument);
}

// ---------------------------------------------------------------------------------------------
// Progress bar

TEST(Progress, FormatDuration) {
  EXPECT_EQ(metrics::format_duration(0), "0s");
  EXPECT_EQ(metrics::format_duration(42), "42s");
  EXPECT_EQ(metrics::format_duration(185), "3m05s");
  EXPECT_EQ(metrics::format_duration(6 * 3600 + 12 * 60 + 30), "6h12m");
  EXPECT_EQ(metrics::format_duration(24 * 3600), "24h");
  EXPECT_EQ(metrics::format_duration(12 * 86400 + 4 * 3600), "12d04h");
  EXPECT_EQ(metrics::format_duration(365 * 86400), "365d");
}

TEST(Progress, QuietForTwoSecondsThenDrawsWithEta) {
  auto now = std::make_shared<double>(100.0);
  std::ostringstream out;
  metrics::ProgressBar bar(24 * 3600.0, out, true, [now] { return *now; });
  bar.update(3600.0, 10);
  *now = 101.9;
  bar.update(7200.0, 100);
  EXPECT_EQ(out.str(), "");

  *now = 102.0;  // 2 s of wall time: 6h12m of 24h simulated, 1000 jobs
  bar.update(6 * 3600.0 + 12 * 60, 1000);
  const std::string first = out.str();
  EXPECT_EQ(first.front(), '\r');
  EXPECT_NE(first.find("%"), std::string::npos) << first;
  EXPECT_NE(first.find("25.8%"), std::string::npos) << first;
  EXPECT_NE(first.find("6h12m / 24h"), std::string::npos) << first;
  EXPECT_NE(first.find("1,000 jobs"), std::string::npos) << first;
  EXPECT_NE(first.find("500 jobs/s"), std::string::npos) << first;
  EXPECT_NE(first.find("ETA 6s"), std::string::npos) << first;  // 2 s * (1 - 0.258) / 0.258
  EXPECT_EQ(first.find('\n'), std::string::npos);

  *now = 102.4;  // less than 0.5 s since the last redraw
  bar.update(12 * 3600.0, 2000);
  EXPECT_EQ(out.str(), first);

  *now = 104.0;
  bar.update(12 * 3600.0, 2000);
  EXPECT_GT(out.str().size(), first.size());
  EXPECT_NE(out.str().find("50.0%"), std::string::npos) << out.str();

  *now = 106.0;
  bar.update(24 * 3600.0, 3000);
  bar.finish();
  const std::string all = out.str();
  EXPECT_EQ(all.back(), '\n');
  EXPECT_NE(all.find("100.0%"), std::string::npos) << all;
  EXPECT_NE(all.find("done in 6s"), std::string::npos) << all;
  bar.finish();
  EXPECT_EQ(out.str(), all);
}

TEST(Progress, ShortRunsAndDisabledBarsPrintNothing) {
  auto now = std::make_shared<double>(0.0);
  std::ostringstream short_out;
  metrics::ProgressBar short_bar(100.0, short_out, true, [now] { return *now; });
  *now = 1.0;
  short_bar.update(100.0, 5);
  short_bar.finish();
  EXPECT_EQ(short_out.str(), "");

  std::ostringstream off_out;
  metrics::ProgressBar off(100.0, off_out, false, [now] { return *now; });
  *now = 50.0;
  off.update(50.0, 5);
  off.finish();
  EXPECT_EQ(off_out.str(), "");
}

TEST(RunSummary, RatiosWithoutADenominatorPrintADashNeverNan) {
  const auto s = suanli::test::scenario_from(suanli::test::minimal_doc());
  const double nan = std::numeric_limits<double>::quiet_NaN();
  const nlohmann::json none = nullptr;
  const nlohmann::json site = {{"name", "a1"},
                               {"kind", "core_cluster"},
                               {"jobs_completed", 0},
                               {"cpu_utilization", nan},
                               {"gpu_utilization", none},
                               {"it_energy_j", 0.0},
                               {"mean_it_power_w", nan},
                               {"pue", none},
                               {"carbon_kg", 0.0},
                               {"targets", {{"pue", "n/a"}, {"gb40879_grade", "out of scope"}}}};
  const nlohmann::json summary = {
      {"seed", 1},
      {"simulated_s", 0.0},
      {"jobs", {{"submitted", 1}, {"completed", 0}, {"rejected", 0}, {"unfinished", 1}}},
      {"classes",
       {{{"name", "c"},
         {"kind", "hpc_batch"},
         {"jobs_simulated", 1},
         {"completed", 0},
         {"wait_s", none},
         {"network_rtt_s", none},
         {"budget_attainment", nan}}}},
      {"sites", {site}},
      {"totals",
       {{"cpu_utilization", nan},
        {"gpu_utilization", none},
        {"it_energy_j", 0.0},
        {"mean_it_power_w", nan},
        {"pue", nan},
        {"carbon_kg", 0.0},
        {"facility_energy_j", 0.0},
        {"loss_energy_j", 0.0},
        {"cooling_energy_j", 0.0},
        {"overhead_energy_j", 0.0},
        {"water_l", 0.0},
        {"electricity_cost", 0.0},
        {"currency", "CNY"},
        {"rack_occupancy", nan},
        {"liquid_share", none},
        {"it_load_utilization", nan},
        {"targets", {{"pue", "n/a"}, {"occupancy", "n/a"}, {"liquid_share", "n/a"}}}}}};
  std::ostringstream out;
  metrics::print_run_summary(out, s, summary);
  const std::string text = out.str();
  EXPECT_EQ(text.find("nan"), std::string::npos) << text;
  EXPECT_EQ(text.find("- %"), std::string::npos) << text;
  EXPECT_NE(text.find("rack occupancy (installed / built): - "), std::string::npos) << text;
  EXPECT_NE(text.find("IT-load utilization - of rated"), std::string::npos) << text;
}
