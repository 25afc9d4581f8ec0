// User-input errors: one line naming the file, the JSON path (or line) and what was expected.
#pragma once

#include <stdexcept>
#include <string>
#include <vector>

namespace suanli::model {

/// An error the user can fix in an input file. `what()` is the one-line message
/// "FILE: LOCATION: MESSAGE" (LOCATION is a JSON pointer such as /sites/17/racks, or line:column).
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

}  // namespace suanli::model
