// Scratch files for reader tests: one folder per test process, removed when the process exits.
#pragma once

#include <unistd.h>
#include <zlib.h>

#include <filesystem>
#include <fstream>
#include <string>

namespace suanli::test {

/// This process's scratch directory (test runs may overlap), removed when the tests exit.
struct ScratchDir {
  std::filesystem::path path =
      std::filesystem::temp_directory_path() / ("suanli-test-" + std::to_string(::getpid()));
  ScratchDir() { std::filesystem::create_directories(path); }
  ~ScratchDir() {
    std::error_code ignored;
    std::filesystem::remove_all(path, ignored);
  }
};

inline std::string temp_path(const std::string& name) {
  static const ScratchDir scratch;
  return (scratch.path / name).string();
}

inline std::string write_temp(const std::string& name, const std::string& content) {
  const auto path = temp_path(name);
  std::ofstream(path, std::ios::binary | std::ios::trunc) << content;
  return path;
}

inline std::string write_gzip(const std::string& name, const std::string& content) {
  const auto path = temp_path(name);
  gzFile file = gzopen(path.c_str(), "wb");
  gzwrite(file, content.data(), static_cast<unsigned>(content.size()));
  gzclose(file);
  return path;
}

inline std::string temp_dir(const std::string& name) {
  const auto path = temp_path(name);
  std::filesystem::create_directories(path);
  return path;
}

}  // namespace suanli::test
