// Atomic, buffered text outputs (plain or gzip), removed on Ctrl-C until complete.
#pragma once

#include <cstdio>
#include <string>
#include <string_view>

struct gzFile_s;  // zlib's handle (gzFile), kept out of this header

namespace suanli::io {

/// Exit code of a run stopped by SIGINT (Ctrl-C) or SIGTERM.
inline constexpr int kExitInterrupted = 130;

/// Creates the temporary file of `final_path` in the same folder, exclusively and without following
/// a symbolic link (O_CREAT | O_EXCL | O_NOFOLLOW), under an unpredictable name
/// ".NAME.<16 random hex digits>.partial" stored in `partial_path`; returns its descriptor.
/// UserError if `final_path` exists and is not a regular file or a symbolic link (a device, a FIFO,
/// a folder: never replaced), or if the folder does not take the file.
int create_partial_file(const std::string& final_path, std::string& partial_path);
/// Records a partial file for removal on SIGINT/SIGTERM; returns its slot (-1: not recorded).
int register_partial_file(const std::string& path);
void unregister_partial_file(int slot);
/// Installs the SIGINT/SIGTERM handler: it removes every registered partial file and exits with
/// kExitInterrupted. Call it again after creating a SimGrid engine (which installs its own).
void install_interrupt_cleanup();

/// A text output file that appears under its final name only when complete.
///
/// The constructor creates a temporary file beside `final_path` (create_partial_file); write() appends
/// through a 1 MiB buffer; commit() flushes, closes and renames the partial file to `final_path` (atomic on
/// POSIX: readers see the old file or the whole new one). If commit() is never called (an exception, a user
/// error found midway), the destructor removes the partial file, so no half-written output is left. This
/// guards against interrupted runs; the data are not fsync'ed, so a power cut may still lose them.
///
/// With `gzip` true the bytes are gzip-compressed through zlib (the caller names `final_path` with
/// `.gz`). Every I/O failure (missing folder, permission, disk full) throws
/// UserError(final_path, "", what failed and the system's reason).
class OutputFile {
 public:
  explicit OutputFile(std::string final_path, bool gzip = false);
  ~OutputFile();
  OutputFile(const OutputFile&) = delete;
  OutputFile& operator=(const OutputFile&) = delete;
  OutputFile(OutputFile&&) = delete;
  OutputFile& operator=(OutputFile&&) = delete;

  /// Appends text. Throws UserError on an I/O error, or std::logic_error after commit().
  void write(std::string_view text);
  /// Flushes, closes and renames to the final name. Throws UserError on an I/O error (the
  /// partial file is then removed by the destructor), std::logic_error if called twice.
  void commit();

  const std::string& final_path() const { return final_path_; }
  const std::string& partial_path() const { return partial_path_; }

  /// Size of the write buffer, bytes.
  static constexpr std::size_t kBufferBytes = std::size_t{1} << 20;

 private:
  void flush_buffer();
  void write_through(std::string_view bytes);
  void close();  ///< closes the handle; throws UserError if the close reports an error
  [[noreturn]] void fail(const std::string& what, int saved_errno) const;
  void discard();  ///< removes the partial file

  std::string final_path_;
  std::string partial_path_;
  std::FILE* file_ = nullptr;  ///< plain output
  gzFile_s* gz_ = nullptr;     ///< gzip output
  std::string buffer_;
  bool committed_ = false;
  int slot_ = -1;  ///< register_partial_file's slot
};

}  // namespace suanli::io
