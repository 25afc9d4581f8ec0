// User-input error types.
#include "model/Error.hpp"

namespace suanli::model {

namespace {
std::string join(const std::string& file, const std::string& location, const std::string& message) {
  std::string out = file.empty() ? std::string("<input>") : file;
  if (!location.empty()) out += ": " + location;
  out += ": " + message;
  return out;
}
}  // namespace

UserError::UserError(std::string file, std::string location, std::string message)
    : std::runtime_error(join(file, location, message)),
      file_(std::move(file)),
      location_(std::move(location)),
      message_(std::move(message)) {}

UserErrors::UserErrors(std::vector<UserError> errors)
    : std::runtime_error(errors.empty() ? std::string("no errors") : std::string(errors.front().what())),
      errors_(std::move(errors)) {}

}  // namespace suanli::model
