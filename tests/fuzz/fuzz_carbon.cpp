// libFuzzer target: Electricity Maps hourly carbon-intensity CSV -> read_carbon_csv (direct column).
#include <cstddef>
#include <cstdint>

#include "FuzzSupport.hpp"
#include "energy/CarbonIntensity.hpp"
#include "model/Error.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  static suanli::fuzz::TempInput input("carbon");
  const auto& path = input.write(data, size);
  try {
    const auto carbon = suanli::energy::read_carbon_csv(path, false);
    (void)carbon.g_per_kwh.size();
  } catch (const suanli::model::UserError&) {
  } catch (const suanli::model::UserErrors&) {
  }
  return 0;
}
