// Fixed-width columns of the terminal tables (check, run, pue, capacity).
#pragma once

#include <cstddef>
#include <string>

namespace suanli::io {

/// `text` padded with spaces to `width` characters: on the right when `left` (left-aligned), else on
/// the left (right-aligned). Text as wide as the column or wider is kept whole and followed by one
/// space, so neighbouring columns never touch. Width counts bytes (names are ASCII in the shipped
/// scenarios).
inline std::string column(std::string text, std::size_t width, bool left = false) {
  if (text.size() >= width) return text + " ";
  return left ? text + std::string(width - text.size(), ' ') : std::string(width - text.size(), ' ') + text;
}

/// `text` with spaces appended up to `width` characters (unchanged when already as wide).
inline std::string pad_right(std::string text, std::size_t width) {
  if (text.size() < width) text.append(width - text.size(), ' ');
  return text;
}

/// `text` with spaces put in front up to `width` characters (unchanged when already as wide).
inline std::string pad_left(std::string text, std::size_t width) {
  if (text.size() < width) text.insert(0, width - text.size(), ' ');
  return text;
}

}  // namespace suanli::io
