// User-input errors under the model's names: the types and limits of io/Error.hpp.
#pragma once

#include "io/Error.hpp"

namespace suanli::model {

using io::kExitUserError;
using io::kMaxMessageChars;
using io::kMaxQuotedChars;
using io::printable;
using io::quoted;
using io::UserError;
using io::UserErrors;

}  // namespace suanli::model
