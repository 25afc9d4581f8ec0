// Parses SWF 2.2 header comments and job lines, one line at a time.
#include "workload/SwfReader.hpp"

#include <algorithm>
#include <array>
#include <cctype>
#include <string_view>

#include "io/Format.hpp"

namespace suanli::workload {

namespace {

constexpr std::size_t kFields = 18;

constexpr std::array<const char*, kFields> kFieldNames = {"job number",
                                                          "submit time",
                                                          "wait time",
                                                          "run time",
                                                          "allocated processors",
                                                          "average CPU time",
                                                          "used memory",
                                                          "requested processors",
                                                          "requested time",
                                                          "requested memory",
                                                          "status",
                                                          "user id",
                                                          "group id",
                                                          "executable",
                                                          "queue",
                                                          "partition",
                                                          "preceding job",
                                                          "think time"};

// Fields holding counts or ids: whole numbers (the others are times or memory sizes).
constexpr std::array<bool, kFields> kWhole = {true,  false, false, false, true, false, false, true, false,
                                              false, true,  true,  true,  true, true,  true,  true, false};

/// "field N (NAME)" for each field, as errors name them.
const std::array<std::string, kFields>& field_labels() {
  static const std::array<std::string, kFields> labels = [] {
    std::array<std::string, kFields> out;
    for (std::size_t f = 0; f < kFields; ++f)
      out[f] = "field " + std::to_string(f + 1) + " (" + kFieldNames[f] + ")";
    return out;
  }();
  return labels;
}

bool is_blank(std::string_view text) { return text.find_first_not_of(" \t") == std::string_view::npos; }

std::string_view trim(std::string_view text) {
  const auto first = text.find_first_not_of(" \t");
  if (first == std::string_view::npos) return {};
  return text.substr(first, text.find_last_not_of(" \t") - first + 1);
}

}  // namespace

SwfReader::SwfReader(std::string path) : lines_(std::move(path)) {
  while (const auto text = lines_.next()) {
    if (is_blank(*text)) continue;
    const std::string_view body = trim(*text);
    if (body.front() != ';') {
      pending_ = std::string(*text);
      return;
    }
    read_header_line(body.substr(1));
  }
}

void SwfReader::read_header_line(std::string_view comment) {
  const std::string_view body = trim(comment);
  if (body.empty()) return;
  // "Key: value" where Key is a word (letters, digits, '_') followed by ':' and a blank or the end.
  std::size_t key_end = 0;
  while (key_end < body.size() &&
         (std::isalnum(static_cast<unsigned char>(body[key_end])) != 0 || body[key_end] == '_')) {
    ++key_end;
  }
  const bool is_key = key_end > 0 && std::isalpha(static_cast<unsigned char>(body[0])) != 0 &&
                      key_end < body.size() && body[key_end] == ':' &&
                      (key_end + 1 == body.size() || body[key_end + 1] == ' ' || body[key_end + 1] == '\t');
  std::string_view value = body;
  if (is_key) {
    last_key_ = std::string(body.substr(0, key_end));
    value = trim(body.substr(key_end + 1));
    if (!header_.contains(last_key_)) {
      header_[last_key_] = std::string(value);
      return;
    }
  } else if (last_key_.empty()) {
    return;  // free text before any key
  }
  auto& joined = header_[last_key_];
  joined += joined.empty() ? "" : "\n";
  joined += value;
}

std::optional<SwfJob> SwfReader::next() {
  if (pending_) {
    const std::string text = std::move(*pending_);
    pending_.reset();
    return parse(text);
  }
  while (const auto text = lines_.next()) {
    if (is_blank(*text) || trim(*text).front() == ';') continue;
    return parse(*text);
  }
  return std::nullopt;
}

SwfJob SwfReader::parse(std::string_view text) {
  std::array<std::string_view, kFields> tokens;
  std::size_t count = 0;
  std::size_t i = 0;
  while (true) {
    i = text.find_first_not_of(" \t", i);
    if (i == std::string_view::npos) break;
    const std::size_t end = std::min(text.find_first_of(" \t", i), text.size());
    if (count < kFields) tokens[count] = text.substr(i, end - i);
    ++count;
    i = end;
  }
  if (count != kFields) {
    lines_.fail("expected " + std::to_string(kFields) + " fields, got " + std::to_string(count));
  }

  const auto& labels = field_labels();
  std::array<double, kFields> values{};
  for (std::size_t f = 0; f < kFields; ++f) {
    const std::string& field = labels[f];
    values[f] = kWhole[f] ? static_cast<double>(lines_.to_int64(tokens[f], field))
                          : lines_.to_number(tokens[f], field);
    if (values[f] < 0 && values[f] != -1.0) {
      lines_.fail(std::string("negative ") + kFieldNames[f] + " " + std::string(tokens[f]) +
                  " (only -1, meaning unknown, may be negative)");
    }
  }

  SwfJob job;
  job.id = lines_.to_int64(tokens[0], labels[0]);
  job.submit_s = values[1];
  if (job.submit_s < 0) lines_.fail("submit time unknown (-1): a job cannot be replayed without it");
  if (job.submit_s < last_submit_s_) {
    lines_.fail("submit time " + std::string(tokens[1]) + " is before the previous job's " +
                io::format_double(last_submit_s_) + " (jobs must be in submit order)");
  }
  last_submit_s_ = job.submit_s;
  job.wait_s = values[2];
  job.run_s = values[3];
  job.allocated_procs = lines_.to_int(tokens[4], labels[4]);
  job.requested_procs = lines_.to_int(tokens[7], labels[7]);
  job.requested_time_s = values[8];
  job.status = lines_.to_int(tokens[10], labels[10]);
  if (job.status > 5) {
    lines_.fail(labels[10] + ": " + std::string(tokens[10]) +
                " is not a status (1 completed, 0 failed, 5 cancelled, 2-4 checkpoint parts, -1 unknown)");
  }
  job.user = lines_.to_int(tokens[11], labels[11]);
  job.queue = lines_.to_int(tokens[14], labels[14]);
  job.partition = lines_.to_int(tokens[15], labels[15]);
  return job;
}

}  // namespace suanli::workload
