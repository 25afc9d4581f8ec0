// User-input errors: one line naming the file, the JSON path (or line) and what was expected.
#pragma once

#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

namespace suanli::io {

/// At most this many characters of user text (a name, a key, a path) are quoted in a message.
inline constexpr std::size_t kMaxQuotedChars = 200;
/// At most this many characters of a whole message (our words around the quoted user text).
inline constexpr std::size_t kMaxMessageChars = 1000;

/// `text` made safe for a one-line terminal message: control characters escaped (\n, \t, \x1b,
/// \u0085), invalid UTF-8 bytes as \xNN, and cut after `max_chars` characters with "... (N bytes)".
std::string printable(std::string_view text, std::size_t max_chars);
/// printable(text, kMaxQuotedChars) in double quotes: how user text appears in an error message.
std::string quoted(std::string_view text);

/// An error the user can fix in an input file. `what()` is the one-line message
/// "FILE: LOCATION: MESSAGE" (LOCATION is a JSON pointer such as /sites/17/racks, or line:column).
/// In what() each part goes through printable(): FILE and LOCATION cut at kMaxQuotedChars, MESSAGE
/// at kMaxMessageChars, control characters escaped.
class UserError : public std::runtime_error {
 public:
  UserError(std::string file, std::string location, std::string message);

  const std::string& file() const { return file_; }
  const std::string& location() const { return location_; }
  const std::string& message() const { return message_; }

 private:
  std::string file_;
  std::string location_;
  std::string message_;
};

/// Several user errors found in one pass (validation reports all of them, not just the first).
class UserErrors : public std::runtime_error {
 public:
  explicit UserErrors(std::vector<UserError> errors);
  const std::vector<UserError>& errors() const { return errors_; }

 private:
  std::vector<UserError> errors_;
};

/// Exit code for user errors (bad input), as documented in the README.
inline constexpr int kExitUserError = 2;

}  // namespace suanli::io
