// Path-tracking JSON access and file reading with one-line user errors.
#include "io/JsonReader.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cmath>
#include <cstring>
#include <filesystem>
#include <limits>
#include <sstream>
#include <unordered_set>

namespace suanli::io {

namespace {

const nlohmann::json& empty_array() {
  static const nlohmann::json kEmpty = nlohmann::json::array();
  return kEmpty;
}

/// Walks a JSON text as SAX events (no recursion, no tree) and records the first structural problem
/// nlohmann would accept: nesting deeper than kMaxJsonDepth, or a key given twice in one object.
class StructureCheck : public nlohmann::json_sax<nlohmann::json> {
 public:
  std::string problem_pointer;
  std::string problem;

  bool null() override { return value(); }
  bool boolean(bool) override { return value(); }
  bool number_integer(number_integer_t) override { return value(); }
  bool number_unsigned(number_unsigned_t) override { return value(); }
  bool number_float(number_float_t, const string_t&) override { return value(); }
  bool string(string_t&) override { return value(); }
  bool binary(binary_t&) override { return value(); }
  bool start_object(std::size_t) override { return open(true); }
  bool start_array(std::size_t) override { return open(false); }
  bool end_object() override { return close(); }
  bool end_array() override { return close(); }
  bool key(string_t& k) override {
    auto& f = frames_.back();
    f.key = k;
    if (!f.keys.insert(k).second) {
      problem_pointer = pointer();
      problem = "the key " + io::quoted(k) + " appears twice in this object (JSON keys must be unique)";
      return false;
    }
    return true;
  }
  bool parse_error(std::size_t, const std::string&, const nlohmann::detail::exception&) override {
    return false;
  }

 private:
  struct Frame {
    bool object = false;
    std::size_t next = 0;  ///< arrays: index of the next element
    std::string key;       ///< objects: the current key
    std::unordered_set<std::string> keys;
  };
  bool value() {
    if (!frames_.empty() && !frames_.back().object) ++frames_.back().next;
    return true;
  }
  bool open(bool object) {
    if (frames_.size() >= kMaxJsonDepth) {
      problem_pointer = pointer();
      problem = "nested deeper than " + std::to_string(kMaxJsonDepth) + " levels of objects and arrays";
      return false;
    }
    value();
    frames_.push_back(Frame{object, 0, {}, {}});
    return true;
  }
  bool close() {
    frames_.pop_back();
    return true;
  }
  std::string pointer() const {
    std::string out;
    for (const auto& f : frames_) {
      if (f.object)
        out = json_pointer_child(out, std::string_view(f.key));
      else if (f.next > 0)
        out = json_pointer_child(out, f.next - 1);
    }
    return out.empty() ? "/" : out;
  }
  std::vector<Frame> frames_;
};

}  // namespace

void check_json_structure(const std::string& text, const std::string& file) {
  // nlohmann's lexer takes a NUL byte for the end of the input and would ignore what follows.
  if (const auto nul = text.find('\0'); nul != std::string::npos) {
    const auto line = 1 + std::count(text.begin(), text.begin() + static_cast<std::ptrdiff_t>(nul), '\n');
    throw UserError(file, "line " + std::to_string(line),
                    "a NUL byte (at byte " + std::to_string(nul + 1) + "): not JSON text");
  }
  StructureCheck check;
  nlohmann::json::sax_parse(text, &check, nlohmann::json::input_format_t::json, false);
  if (!check.problem.empty()) throw UserError(file, check.problem_pointer, check.problem);
}

int open_input_file(const std::string& path) {
  // O_NONBLOCK: opening a FIFO must not wait for a writer; the type is checked on the opened file.
  const int fd = ::open(path.c_str(), O_RDONLY | O_NONBLOCK | O_CLOEXEC | O_NOCTTY);
  if (fd < 0) {
    const int error = errno;
    if (error == ENOENT) throw UserError(path, "", "cannot open: no such file");
    if (error == EISDIR) throw UserError(path, "", "is a directory, expected a file");
    throw UserError(path, "", std::string("cannot open: ") + std::strerror(error));
  }
  struct stat st {};
  if (::fstat(fd, &st) != 0 || !S_ISREG(st.st_mode)) {
    const bool directory = S_ISDIR(st.st_mode);
    ::close(fd);
    if (directory) throw UserError(path, "", "is a directory, expected a file");
    throw UserError(path, "", "is not a regular file (a device, pipe or socket); give a file");
  }
  if (static_cast<std::uintmax_t>(st.st_size) > kMaxInputBytes) {
    ::close(fd);
    throw UserError(path, "",
                    "file is " + std::to_string(st.st_size / (1024 * 1024)) + " MiB; the limit is " +
                        std::to_string(kMaxInputBytes / (1024 * 1024)) + " MiB");
  }
  ::fcntl(fd, F_SETFL, ::fcntl(fd, F_GETFL) & ~O_NONBLOCK);
  return fd;
}

std::string read_text_file(const std::string& path) {
  const int fd = open_input_file(path);
  std::string text;
  char buffer[64 * 1024];
  for (;;) {
    const ssize_t n = ::read(fd, buffer, sizeof buffer);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) {
      const int error = errno;
      ::close(fd);
      throw UserError(path, "", std::string("read error: ") + std::strerror(error));
    }
    if (n == 0) break;
    text.append(buffer, static_cast<std::size_t>(n));
    if (text.size() > kMaxInputBytes) {  // a file whose size stat does not know (/proc)
      ::close(fd);
      throw UserError(path, "", "more than " + std::to_string(kMaxInputBytes / (1024 * 1024)) + " MiB");
    }
  }
  ::close(fd);
  return text;
}

nlohmann::json parse_json_text(const std::string& text, const std::string& file) {
  check_json_structure(text, file);
  try {
    return nlohmann::json::parse(text);
  } catch (const nlohmann::json::parse_error& e) {
    // e.what() is "[json.exception.parse_error.101] parse error at line L, column C: DETAIL".
    std::string what = e.what();
    std::string location = "byte " + std::to_string(e.byte);
    std::string detail = what;
    if (auto at = what.find(" at line "); at != std::string::npos) {
      auto colon = what.find(": ", at);
      if (colon != std::string::npos) {
        location = what.substr(at + 4, colon - at - 4);
        detail = what.substr(colon + 2);
      }
    } else if (auto sep = what.find("] "); sep != std::string::npos) {
      detail = what.substr(sep + 2);
    }
    throw UserError(file, location, "invalid JSON: " + detail);
  } catch (const nlohmann::json::exception& e) {
    // e.g. out_of_range.406 "number overflow parsing '1e400'" (no position is given)
    std::string what = e.what();
    if (auto sep = what.find("] "); sep != std::string::npos) what = what.substr(sep + 2);
    throw UserError(file, "", "invalid JSON: " + what);
  }
}

std::string json_pointer_child(const std::string& parent, std::string_view key) {
  std::string out = parent + "/";
  for (char c : key) {
    if (c == '~')
      out += "~0";
    else if (c == '/')
      out += "~1";
    else
      out += c;
  }
  return out;
}

std::string json_pointer_child(const std::string& parent, std::size_t index) {
  return parent + "/" + std::to_string(index);
}

std::string describe_json(const nlohmann::json& v) {
  auto shortened = [](std::string s) {
    if (s.size() > 40) s = s.substr(0, 37) + "...";
    return s;
  };
  switch (v.type()) {
    case nlohmann::json::value_t::null:
      return "null";
    case nlohmann::json::value_t::boolean:
      return std::string("a boolean (") + (v.get<bool>() ? "true" : "false") + ")";
    case nlohmann::json::value_t::string:
      return "a string " + shortened(v.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace));
    case nlohmann::json::value_t::array:
      return "an array";
    case nlohmann::json::value_t::object:
      return "an object";
    case nlohmann::json::value_t::binary:
      return "binary data";
    case nlohmann::json::value_t::discarded:
      return "nothing";
    default:
      return shortened(v.dump());
  }
}

JsonObject::JsonObject(const nlohmann::json& value, std::string pointer, const ReadContext& ctx,
                       std::initializer_list<std::string_view> allowed)
    : value_(value), pointer_(std::move(pointer)), ctx_(ctx) {
  const std::string where = pointer_.empty() ? "/" : pointer_;
  if (!value_.is_object())
    throw UserError(ctx_.file, where, "expected an object, got " + describe_json(value_));
  for (const auto& [key, unused] : value_.items()) {
    bool known = false;
    for (auto a : allowed) known = known || a == key;
    if (known) continue;
    std::string valid;
    for (auto a : allowed) valid += (valid.empty() ? "" : ", ") + std::string(a);
    std::string message = "unknown field " + io::quoted(key) + " (valid: " + valid + ")";
    if (!ctx_.lenient) throw UserError(ctx_.file, json_pointer_child(pointer_, key), message);
    if (ctx_.warnings)
      ctx_.warnings->push_back(UserError(ctx_.file, json_pointer_child(pointer_, key), message).what());
  }
}

bool JsonObject::has(std::string_view key) const { return value_.contains(key); }

const nlohmann::json& JsonObject::at(std::string_view key) const { return value_.find(key).value(); }

void JsonObject::require(std::string_view key) const {
  if (!has(key)) throw UserError(ctx_.file, path_of(key), "required field is missing");
}

void JsonObject::fail(std::string_view key, const std::string& message) const {
  throw UserError(ctx_.file, path_of(key), message);
}

std::string JsonObject::required_string(std::string_view key) const {
  require(key);
  const auto& v = at(key);
  if (!v.is_string()) fail(key, "expected a string, got " + describe_json(v));
  return v.get<std::string>();
}

std::string JsonObject::optional_string(std::string_view key, std::string fallback) const {
  return has(key) ? required_string(key) : fallback;
}

double JsonObject::required_number(std::string_view key) const {
  require(key);
  const auto& v = at(key);
  if (!v.is_number()) fail(key, "expected a number, got " + describe_json(v));
  const double d = v.get<double>();
  if (!std::isfinite(d)) fail(key, "expected a finite number");
  return d;
}

double JsonObject::optional_number(std::string_view key, double fallback) const {
  return has(key) ? required_number(key) : fallback;
}

std::optional<double> JsonObject::maybe_number(std::string_view key) const {
  if (!has(key)) return std::nullopt;
  return required_number(key);
}

std::int64_t JsonObject::required_integer(std::string_view key) const {
  require(key);
  const auto& v = at(key);
  if (v.is_number_integer()) {
    if (v.is_number_unsigned() && v.get<std::uint64_t>() > static_cast<std::uint64_t>(INT64_MAX))
      fail(key, "expected an integer, got a number too large (" + v.dump() + ")");
    return v.get<std::int64_t>();
  }
  if (v.is_number_float()) {
    const double d = v.get<double>();
    if (std::isfinite(d) && std::trunc(d) == d && std::fabs(d) < 9.0e15) return static_cast<std::int64_t>(d);
  }
  fail(key, "expected an integer, got " + describe_json(v));
}

std::int64_t JsonObject::optional_integer(std::string_view key, std::int64_t fallback) const {
  return has(key) ? required_integer(key) : fallback;
}

std::optional<std::int64_t> JsonObject::maybe_integer(std::string_view key) const {
  if (!has(key)) return std::nullopt;
  return required_integer(key);
}

bool JsonObject::optional_bool(std::string_view key, bool fallback) const {
  if (!has(key)) return fallback;
  const auto& v = at(key);
  if (!v.is_boolean()) fail(key, "expected true or false, got " + describe_json(v));
  return v.get<bool>();
}

std::vector<std::string> JsonObject::optional_string_list(std::string_view key) const {
  std::vector<std::string> out;
  const auto& arr = array(key, false);
  for (std::size_t i = 0; i < arr.size(); ++i) {
    if (!arr[i].is_string())
      throw UserError(ctx_.file, json_pointer_child(path_of(key), i),
                      "expected a string, got " + describe_json(arr[i]));
    out.push_back(arr[i].get<std::string>());
  }
  return out;
}

std::optional<std::vector<double>> JsonObject::maybe_number_list(std::string_view key,
                                                                 std::size_t size) const {
  if (!has(key)) return std::nullopt;
  const auto& arr = array(key, true);
  if (arr.size() != size)
    fail(key, "expected " + std::to_string(size) + " numbers, got " + std::to_string(arr.size()));
  std::vector<double> out;
  for (std::size_t i = 0; i < arr.size(); ++i) {
    if (!arr[i].is_number() || !std::isfinite(arr[i].get<double>()))
      throw UserError(ctx_.file, json_pointer_child(path_of(key), i),
                      "expected a number, got " + describe_json(arr[i]));
    out.push_back(arr[i].get<double>());
  }
  return out;
}

const nlohmann::json& JsonObject::array(std::string_view key, bool required) const {
  if (!has(key)) {
    if (required) require(key);
    return empty_array();
  }
  const auto& v = at(key);
  if (!v.is_array()) fail(key, "expected an array, got " + describe_json(v));
  return v;
}

const nlohmann::json* JsonObject::object(std::string_view key) const {
  if (!has(key)) return nullptr;
  return &at(key);
}

}  // namespace suanli::io
