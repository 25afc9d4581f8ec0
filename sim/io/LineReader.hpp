// Reads a plain or gzip-compressed text trace one line at a time, and reports errors at its line.
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace suanli::io {

/// Reads a text file line by line through zlib (a gzip file is inflated, a plain one read as is),
/// never holding more than one line and a 64 KiB buffer. Every line is checked to be text: valid
/// UTF-8 with no control bytes but tab, else a UserError. A leading UTF-8 byte-order mark and the
/// "\r" of "\r\n" endings are dropped. Errors are `UserError(path, "line N", message)`.
///
/// Limits (a decompression bomb is refused when opened, before any line is read, in bounded memory):
/// only regular files are read (io::open_input_file: at most 512 MiB on disk); at most
/// kMaxExpandedBytes of text after decompression; past kRatioCheckBytes, gzip data may expand at most
/// kMaxCompressionRatio times (the shipped SWF logs expand 6 to 8 times); a line is at most 1 MiB.
class LineReader {
 public:
  static constexpr std::uint64_t kMaxExpandedBytes = 512ull << 20;
  static constexpr std::uint64_t kRatioCheckBytes = 8ull << 20;
  static constexpr std::uint64_t kMaxCompressionRatio = 50;

  /// Opens `path`. Throws UserError(path, "", "cannot open: no such file") or
  /// "is a directory, expected a file" or "cannot open: <system reason>".
  explicit LineReader(std::string path);

  /// The next line without its end-of-line; nullopt at the end of the file. The view is valid
  /// until the next call.
  std::optional<std::string_view> next();

  /// Number (1-based) of the line last returned by next(); 0 before the first.
  std::size_t line() const { return line_; }
  const std::string& path() const { return path_; }

  /// Throws UserError(path, "line N", message) for the current line.
  [[noreturn]] void fail(const std::string& message) const;

  /// `text` as a finite number; `field` names it in errors, e.g. `field 4 (run time)`.
  double to_number(std::string_view text, const std::string& field) const;
  /// `text` as a whole number that fits in int / int64 (a decimal point such as "4.0" is refused).
  int to_int(std::string_view text, const std::string& field) const;
  std::int64_t to_int64(std::string_view text, const std::string& field) const;

 private:
  struct GzClose {
    void operator()(void* file) const;
  };

  bool refill();
  /// For gzip data: inflates the whole file once, counting bytes only, and refuses it if it expands
  /// over kMaxExpandedBytes, or more than kMaxCompressionRatio times past kRatioCheckBytes.
  void check_expansion(int fd);

  std::string path_;
  std::unique_ptr<void, GzClose> file_;
  std::vector<char> buffer_;
  std::size_t begin_ = 0;
  std::size_t end_ = 0;
  std::string line_text_;
  std::size_t line_ = 0;
  std::uint64_t read_bytes_ = 0;  ///< decompressed bytes read so far
};

/// Reads a comma-separated file with a header row: columns are found by name, so their order
/// does not matter and extra columns are ignored. Fields may be quoted ("a,b", "" for a quote).
class CsvReader {
 public:
  /// Opens `path` and reads its header. Throws UserError if the file has no header row, a column
  /// name is repeated, or one of `required` columns is missing (the message names it).
  CsvReader(std::string path, const std::vector<std::string>& required);

  /// Index of the column named `name` in every row, or nullopt if the header lacks it.
  std::optional<std::size_t> column(const std::string& name) const;
  /// "field N (NAME)" for the column at `index`, for error messages.
  const std::string& describe(std::size_t index) const { return labels_.at(index); }

  /// The fields of the next non-blank row (as many as the header has, else a UserError);
  /// nullopt at the end of the file. The reference is valid until the next call.
  const std::vector<std::string>* next();

  const LineReader& lines() const { return lines_; }

 private:
  void split(std::string_view text);

  LineReader lines_;
  std::vector<std::string> names_;
  std::vector<std::string> labels_;  // "field N (NAME)"
  std::vector<std::string> fields_;
};

}  // namespace suanli::io
