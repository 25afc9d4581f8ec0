// libFuzzer target: EnergyPlus weather file -> read_epw.
#include <cstddef>
#include <cstdint>

#include "FuzzSupport.hpp"
#include "energy/Weather.hpp"
#include "model/Error.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  static suanli::fuzz::TempInput input("epw");
  const auto& path = input.write(data, size);
  try {
    const auto weather = suanli::energy::read_epw(path);
    (void)weather.hours();
  } catch (const suanli::model::UserError&) {
  } catch (const suanli::model::UserErrors&) {
  }
  return 0;
}
