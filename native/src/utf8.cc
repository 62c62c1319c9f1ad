#include "utf8.h"

namespace forkscope {

namespace {

// Bounds of the byte after `lead`, and the sequence length; false when `lead` starts none.
bool LeadByte(unsigned char lead, unsigned char* lo, unsigned char* hi, size_t* length) {
  *lo = 0x80;
  *hi = 0xBF;
  if (lead >= 0xC2 && lead <= 0xDF) *length = 2;
  else if (lead == 0xE0) *length = 3, *lo = 0xA0;
  else if (lead >= 0xE1 && lead <= 0xEC) *length = 3;
  else if (lead == 0xED) *length = 3, *hi = 0x9F;
  else if (lead >= 0xEE && lead <= 0xEF) *length = 3;
  else if (lead == 0xF0) *length = 4, *lo = 0x90;
  else if (lead >= 0xF1 && lead <= 0xF3) *length = 4;
  else if (lead == 0xF4) *length = 4, *hi = 0x8F;
  else return false;
  return true;
}

}  // namespace

size_t Utf8SequenceAt(const unsigned char* s, size_t len, bool* wellFormed) {
  unsigned char lo, hi;
  size_t length = 0;
  *wellFormed = false;
  if (!LeadByte(s[0], &lo, &hi, &length)) return 1;
  size_t n = 1;
  if (n < len && s[n] >= lo && s[n] <= hi) {
    ++n;
    while (n < length && n < len && s[n] >= 0x80 && s[n] <= 0xBF) ++n;
  }
  *wellFormed = n == length;
  return n;
}

bool IsValidUtf8(const char* data, size_t len) {
  const auto* s = reinterpret_cast<const unsigned char*>(data);
  size_t i = 0;
  while (i < len) {
    if (s[i] < 0x80) {
      ++i;
      continue;
    }
    bool wellFormed = false;
    i += Utf8SequenceAt(s + i, len - i, &wellFormed);
    if (!wellFormed) return false;
  }
  return true;
}

}  // namespace forkscope
