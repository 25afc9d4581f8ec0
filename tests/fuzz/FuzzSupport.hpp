// Shared helpers of the libFuzzer targets: the readers take a path, so each input is written to a
// per-process temporary file (one per target, reused for every input and removed at exit).
#pragma once

#include <unistd.h>

#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <string>
#include <system_error>

namespace suanli::fuzz {

/// A temporary file in the system's temporary folder, named after the target and the process id.
class TempInput {
 public:
  explicit TempInput(const std::string& name)
      : path_((std::filesystem::temp_directory_path() /
               ("suanli-fuzz-" + name + "-" + std::to_string(::getpid()) + ".input"))
                  .string()) {}
  ~TempInput() {
    std::error_code ec;
    std::filesystem::remove(path_, ec);
  }
  TempInput(const TempInput&) = delete;
  TempInput& operator=(const TempInput&) = delete;

  /// Replaces the file's content with `data` and returns its path. Aborts if it cannot be written
  /// (that is the harness failing, not the reader).
  const std::string& write(const std::uint8_t* data, std::size_t size) {
    std::FILE* f = std::fopen(path_.c_str(), "wb");
    if (f == nullptr) {
      std::perror(path_.c_str());
      std::abort();
    }
    if (size > 0 && std::fwrite(data, 1, size, f) != size) {
      std::perror(path_.c_str());
      std::abort();
    }
    if (std::fclose(f) != 0) {
      std::perror(path_.c_str());
      std::abort();
    }
    return path_;
  }

 private:
  std::string path_;
};

}  // namespace suanli::fuzz
