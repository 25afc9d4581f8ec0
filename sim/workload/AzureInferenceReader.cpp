// Parses Azure LLM inference rows: date-time to seconds since the first row, token counts.
#include "workload/AzureInferenceReader.hpp"

#include <string_view>

namespace suanli::workload {

namespace {

constexpr std::int64_t kTicksPerSecond = 10'000'000;  // 100 ns ticks, the trace's resolution

const std::string kTimestamp = "TIMESTAMP";
const std::string kContext = "ContextTokens";
const std::string kGenerated = "GeneratedTokens";

bool is_leap(std::int64_t year) { return (year % 4 == 0 && year % 100 != 0) || year % 400 == 0; }

unsigned days_in_month(std::int64_t year, unsigned month) {
  constexpr unsigned kDays[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  return month == 2 && is_leap(year) ? 29 : kDays[month - 1];
}

/// `YYYY-MM-DD HH:MM:SS[.fffffff]` as 100 ns ticks since 1970-01-01 00:00:00, or a reason it is not.
struct Parsed {
  std::int64_t ticks = 0;
  std::string problem;
};

Parsed parse_timestamp(std::string_view text) {
  const auto digits = [&](std::size_t at, std::size_t count, std::int64_t& out) {
    if (at + count > text.size()) return false;
    out = 0;
    for (std::size_t i = at; i < at + count; ++i) {
      if (text[i] < '0' || text[i] > '9') return false;
      out = out * 10 + (text[i] - '0');
    }
    return true;
  };
  std::int64_t year = 0, month = 0, day = 0, hour = 0, minute = 0, second = 0;
  const bool shape = digits(0, 4, year) && text.size() >= 19 && text[4] == '-' && digits(5, 2, month) &&
                     text[7] == '-' && digits(8, 2, day) && (text[10] == ' ' || text[10] == 'T') &&
                     digits(11, 2, hour) && text[13] == ':' && digits(14, 2, minute) && text[16] == ':' &&
                     digits(17, 2, second);
  if (!shape) return {0, "expected a date-time YYYY-MM-DD HH:MM:SS.fffffff"};
  std::int64_t fraction = 0;
  if (text.size() > 19) {
    const std::size_t count = text.size() - 20;
    if (text[19] != '.' || count == 0 || count > 7 || !digits(20, count, fraction)) {
      return {0, "expected a date-time YYYY-MM-DD HH:MM:SS.fffffff (at most 7 fraction digits)"};
    }
    for (std::size_t i = count; i < 7; ++i) fraction *= 10;
  }
  if (month < 1 || month > 12) return {0, "month " + std::to_string(month) + " is not 1-12"};
  const auto month_days = days_in_month(year, static_cast<unsigned>(month));
  if (day < 1 || day > month_days) {
    return {0, "day " + std::to_string(day) + " is not 1-" + std::to_string(month_days)};
  }
  if (hour > 23 || minute > 59 || second > 59) return {0, "time of day out of range"};
  const std::int64_t days = days_from_civil(year, static_cast<unsigned>(month), static_cast<unsigned>(day));
  const std::int64_t seconds = days * 86'400 + hour * 3'600 + minute * 60 + second;
  return {seconds * kTicksPerSecond + fraction, ""};
}

}  // namespace

std::int64_t days_from_civil(std::int64_t year, unsigned month, unsigned day) {
  year -= month <= 2 ? 1 : 0;
  const std::int64_t era = (year >= 0 ? year : year - 399) / 400;
  const auto year_of_era = static_cast<std::int64_t>(year - era * 400);                            // [0, 399]
  const std::int64_t day_of_year = (153 * (month > 2 ? month - 3 : month + 9) + 2) / 5 + day - 1;  // [0, 365]
  const std::int64_t day_of_era = year_of_era * 365 + year_of_era / 4 - year_of_era / 100 + day_of_year;
  return era * 146'097 + day_of_era - 719'468;
}

AzureInferenceReader::AzureInferenceReader(std::string path)
    : csv_(std::move(path), {kTimestamp, kContext, kGenerated}),
      timestamp_(*csv_.column(kTimestamp)),
      context_(*csv_.column(kContext)),
      generated_(*csv_.column(kGenerated)) {}

std::optional<InferenceRequest> AzureInferenceReader::next() {
  const auto* row = csv_.next();
  if (row == nullptr) return std::nullopt;
  const auto& lines = csv_.lines();
  const std::string& text = (*row)[timestamp_];
  const std::string field = csv_.describe(timestamp_);
  const Parsed time = parse_timestamp(text);
  if (!time.problem.empty()) lines.fail(field + ": " + time.problem + ", got \"" + text + "\"");
  if (!first_ticks_) {
    first_ticks_ = time.ticks;
  } else if (time.ticks < last_ticks_) {
    lines.fail("timestamp " + text + " is before the previous row's " + last_text_ +
               " (rows must be in time order)");
  }
  last_ticks_ = time.ticks;
  last_text_ = text;

  InferenceRequest request;
  request.t_s = static_cast<double>(time.ticks - *first_ticks_) / static_cast<double>(kTicksPerSecond);
  request.context_tokens = lines.to_int((*row)[context_], csv_.describe(context_));
  request.generated_tokens = lines.to_int((*row)[generated_], csv_.describe(generated_));
  if (request.context_tokens < 0) lines.fail("negative " + kContext + " " + (*row)[context_]);
  if (request.generated_tokens < 0) lines.fail("negative " + kGenerated + " " + (*row)[generated_]);
  return request;
}

}  // namespace suanli::workload
