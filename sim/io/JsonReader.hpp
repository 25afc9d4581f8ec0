// Typed, path-tracking access to JSON objects: every error names the file and the JSON pointer.
#pragma once

#include <cstdint>
#include <initializer_list>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "io/Error.hpp"

namespace suanli::io {

/// Largest input file read, bytes (and the most a compressed trace may expand to).
inline constexpr std::uintmax_t kMaxInputBytes = 512ull * 1024 * 1024;

/// Opens a file for reading: a file descriptor, or UserError if it is missing, not a regular file
/// (a directory, device, FIFO: refused without blocking), unreadable or over kMaxInputBytes.
int open_input_file(const std::string& path);

/// Reads a whole text file; UserError if it is missing, not a regular file (a directory, device,
/// FIFO), unreadable or absurdly large.
std::string read_text_file(const std::string& path);

/// Deepest nesting of objects and arrays accepted in a JSON input (scenarios need about 6).
inline constexpr std::size_t kMaxJsonDepth = 64;

/// UserError naming the JSON pointer if `text` nests deeper than kMaxJsonDepth or repeats a key in
/// one object; a syntax error is left for the parser to report. Needs no recursion, so it is safe
/// on any input.
void check_json_structure(const std::string& text, const std::string& file);

/// Parses JSON text (after check_json_structure); a syntax error becomes a UserError naming the file, line
/// and column.
nlohmann::json parse_json_text(const std::string& text, const std::string& file);

/// Settings shared by every JsonObject of one document.
struct ReadContext {
  std::string file;
  bool lenient = false;  ///< unknown fields are warnings instead of errors
  std::vector<std::string>* warnings = nullptr;
};

/// Appends a key or index to a JSON pointer, escaping '~' and '/'.
std::string json_pointer_child(const std::string& parent, std::string_view key);
std::string json_pointer_child(const std::string& parent, std::size_t index);

/// Describes a JSON value's type for messages ("a string \"abc\"", "an array", ...).
std::string describe_json(const nlohmann::json& value);

/// A view of one JSON object at a known pointer. The constructor checks that the value is an object
/// and that all its keys are among `allowed` (listing the valid names otherwise).
class JsonObject {
 public:
  JsonObject(const nlohmann::json& value, std::string pointer, const ReadContext& ctx,
             std::initializer_list<std::string_view> allowed);

  const std::string& pointer() const { return pointer_; }
  bool has(std::string_view key) const;
  std::string path_of(std::string_view key) const { return json_pointer_child(pointer_, key); }

  std::string required_string(std::string_view key) const;
  std::string optional_string(std::string_view key, std::string fallback) const;
  double required_number(std::string_view key) const;
  double optional_number(std::string_view key, double fallback) const;
  std::optional<double> maybe_number(std::string_view key) const;
  std::int64_t required_integer(std::string_view key) const;
  std::int64_t optional_integer(std::string_view key, std::int64_t fallback) const;
  std::optional<std::int64_t> maybe_integer(std::string_view key) const;
  bool optional_bool(std::string_view key, bool fallback) const;
  /// An array of strings (empty when absent).
  std::vector<std::string> optional_string_list(std::string_view key) const;
  /// An array of exactly `size` finite numbers, or nullopt when absent.
  std::optional<std::vector<double>> maybe_number_list(std::string_view key, std::size_t size) const;

  /// An enumeration given as a string among `names`, a range of {name, value} pairs (model/Names.hpp's
  /// tables); the error lists the valid names.
  template <typename E, typename Names>
  E optional_enum(std::string_view key, E fallback, const Names& names) const {
    if (!has(key)) return fallback;
    return enum_value<E>(key, names);
  }
  template <typename E, typename Names>
  E required_enum(std::string_view key, const Names& names) const {
    require(key);
    return enum_value<E>(key, names);
  }

  /// The array at `key` (empty if absent and not required); errors if it is not an array.
  const nlohmann::json& array(std::string_view key, bool required) const;
  /// The object at `key`, or nullptr when absent.
  const nlohmann::json* object(std::string_view key) const;

  [[noreturn]] void fail(std::string_view key, const std::string& message) const;

 private:
  const nlohmann::json& at(std::string_view key) const;
  void require(std::string_view key) const;
  template <typename E, typename Names>
  E enum_value(std::string_view key, const Names& names) const {
    const auto& v = at(key);
    if (v.is_string()) {
      const auto& s = v.get_ref<const std::string&>();
      for (const auto& [name, value] : names)
        if (name == s) return value;
    }
    std::string valid;
    for (const auto& [name, value] : names) valid += (valid.empty() ? "" : ", ") + std::string(name);
    fail(key, "expected one of " + valid + ", got " + describe_json(v));
  }

  const nlohmann::json& value_;
  std::string pointer_;
  const ReadContext& ctx_;
};

}  // namespace suanli::io
