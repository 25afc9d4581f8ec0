// Writes a PlatformSpec as a SimGrid platform XML file (DTD version 4.1).
#pragma once

#include <ostream>

#include "model/Scenario.hpp"
#include "platform/PlatformSpec.hpp"

namespace suanli::platform {

void write_platform_xml(std::ostream& out, const model::Scenario& scenario, const PlatformSpec& spec);

}  // namespace suanli::platform
