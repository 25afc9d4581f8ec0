// libFuzzer target: Alibaba GPU cluster pod CSV -> AlibabaGpuReader, every pod.
#include <cstddef>
#include <cstdint>

#include "FuzzSupport.hpp"
#include "model/Error.hpp"
#include "workload/AlibabaGpuReader.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  static suanli::fuzz::TempInput input("alibaba");
  const auto& path = input.write(data, size);
  try {
    suanli::workload::AlibabaGpuReader reader(path);
    while (auto pod = reader.next()) (void)pod->creation_s;
  } catch (const suanli::model::UserError&) {
  } catch (const suanli::model::UserErrors&) {
  }
  return 0;
}
