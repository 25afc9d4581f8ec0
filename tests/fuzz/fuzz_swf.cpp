// libFuzzer target: Standard Workload Format trace (plain or gzip) -> SwfReader, every record.
#include <cstddef>
#include <cstdint>

#include "FuzzSupport.hpp"
#include "model/Error.hpp"
#include "workload/SwfReader.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  static suanli::fuzz::TempInput input("swf");
  const auto& path = input.write(data, size);
  try {
    suanli::workload::SwfReader reader(path);
    (void)reader.header();
    while (auto job = reader.next()) (void)job->procs();
  } catch (const suanli::model::UserError&) {
  } catch (const suanli::model::UserErrors&) {
  }
  return 0;
}
