// UTF-8 well-formedness by Unicode Table 3-7 (no overlongs, surrogates or > U+10FFFF): argv is
// arbitrary bytes, and both the lossy flag and the NDJSON renderer's U+FFFD replacement
// (one per maximal ill-formed subpart, like V8 and the WHATWG decoder) follow from it.
#pragma once

#include <cstddef>

namespace forkscope {

// For s[0] >= 0x80: the bytes at s that begin a well-formed sequence (its full length when it
// is one, else the maximal ill-formed subpart: >= 1). `wellFormed` says which.
size_t Utf8SequenceAt(const unsigned char* s, size_t len, bool* wellFormed);

// True when [data, data+len) is well-formed UTF-8.
bool IsValidUtf8(const char* data, size_t len);

}  // namespace forkscope
