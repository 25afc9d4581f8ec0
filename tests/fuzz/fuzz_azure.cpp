// libFuzzer target: Azure LLM inference trace CSV -> AzureInferenceReader, every request.
#include <cstddef>
#include <cstdint>

#include "FuzzSupport.hpp"
#include "model/Error.hpp"
#include "workload/AzureInferenceReader.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  static suanli::fuzz::TempInput input("azure");
  const auto& path = input.write(data, size);
  try {
    suanli::workload::AzureInferenceReader reader(path);
    while (auto request = reader.next()) (void)request->t_s;
  } catch (const suanli::model::UserError&) {
  } catch (const suanli::model::UserErrors&) {
  }
  return 0;
}
