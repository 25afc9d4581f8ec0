// SHA-256 (FIPS 180-4) of bytes and files, as lowercase hex: the fingerprints in sweep manifests.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

namespace suanli::sweep {

class Sha256 {
 public:
  Sha256();
  void update(std::string_view bytes);
  /// The digest as 64 lowercase hex characters; the object is spent afterwards.
  std::string hex();

 private:
  void block(const unsigned char* p);
  std::uint32_t h_[8];
  unsigned char buffer_[64];
  std::size_t buffered_ = 0;
  std::uint64_t length_ = 0;  ///< bytes hashed so far
};

std::string sha256_hex(std::string_view bytes);
/// Hash of a file's bytes; model::UserError naming the file if it cannot be read.
std::string sha256_file(const std::string& path);

}  // namespace suanli::sweep
