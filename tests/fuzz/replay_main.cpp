// Replays fuzzing inputs through a target's LLVMFuzzerTestOneInput without libFuzzer, so the
// corpus in tests/fuzz/corpus/<name>/ runs as a regression test in the normal (g++) build.
// Usage: fuzz_replay_<name> PATH... — each PATH is a file, or a folder whose regular files are run
// in name order. Exit 0 when every input ran; 1 if an input let an exception other than the
// readers' UserError/UserErrors escape (each is reported with the file); 2 on usage errors.
// A crash (signal) ends the process; the last "replay:" line on stderr names the input.
#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <exception>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <iterator>
#include <string>
#include <system_error>
#include <typeinfo>
#include <vector>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size);

namespace {

bool read_file(const std::filesystem::path& path, std::vector<std::uint8_t>& bytes) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return false;
  bytes.assign(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
  return !in.bad();
}

}  // namespace

int main(int argc, char** argv) {
  namespace fs = std::filesystem;
  if (argc < 2) {
    std::cerr << "usage: " << argv[0] << " FILE_OR_FOLDER...\n";
    return 2;
  }
  std::vector<fs::path> inputs;
  for (int i = 1; i < argc; ++i) {
    const fs::path arg(argv[i]);
    std::error_code ec;
    if (fs::is_directory(arg, ec)) {
      std::vector<fs::path> files;
      for (const auto& entry : fs::directory_iterator(arg, ec))
        if (entry.is_regular_file()) files.push_back(entry.path());
      if (ec) {
        std::cerr << "replay: cannot list " << arg << ": " << ec.message() << "\n";
        return 2;
      }
      std::sort(files.begin(), files.end());
      inputs.insert(inputs.end(), files.begin(), files.end());
    } else if (fs::is_regular_file(arg, ec)) {
      inputs.push_back(arg);
    } else {
      std::cerr << "replay: no such file or folder: " << arg << "\n";
      return 2;
    }
  }
  if (inputs.empty()) {
    std::cerr << "replay: no inputs found (an empty corpus folder?)\n";
    return 2;
  }

  std::size_t ran = 0;
  std::size_t failed = 0;
  std::vector<std::uint8_t> bytes;
  for (const auto& path : inputs) {
    if (!read_file(path, bytes)) {
      std::cerr << "replay: cannot read " << path.string() << "\n";
      return 2;
    }
    std::cerr << "replay: " << path.string() << " (" << bytes.size() << " bytes)" << std::endl;
    try {
      LLVMFuzzerTestOneInput(bytes.data(), bytes.size());
    } catch (const std::exception& e) {
      ++failed;
      std::cerr << "replay: FAILED " << path.string() << ": uncaught " << typeid(e).name() << ": " << e.what()
                << "\n";
    } catch (...) {
      ++failed;
      std::cerr << "replay: FAILED " << path.string() << ": uncaught non-standard exception\n";
    }
    ++ran;
  }
  std::cout << "replay: " << ran << " inputs ran, " << failed << " failed\n";
  return failed == 0 ? 0 : 1;
}
