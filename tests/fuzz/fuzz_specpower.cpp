// libFuzzer target: CloudSim-style SPECpower table -> read_specpower_file (and the curve's uses).
#include <cstddef>
#include <cstdint>

#include "FuzzSupport.hpp"
#include "energy/PowerCurve.hpp"
#include "model/Error.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  static suanli::fuzz::TempInput input("specpower");
  const auto& path = input.write(data, size);
  try {
    const auto curve = suanli::energy::read_specpower_file(path);
    (void)curve.at(0.55);
    (void)suanli::energy::linear_fit_error(curve);
  } catch (const suanli::model::UserError&) {
  } catch (const suanli::model::UserErrors&) {
  }
  return 0;
}
