// Renders a finished EventBatch as NDJSON on the proc-connector reader's completer thread, byte
// for byte what `JSON.stringify(event)` gives for the ProcEvent that native/decodeEvents.ts
// decodes from the same row (same keys, same order, same numbers, argv/comm/exe decoded as UTF-8
// with U+FFFD for bad bytes, the same escapes). `forkscope events --json` then writes these bytes
// as they are, instead of building and stringifying one object per event on the JS thread during
// a storm.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "event_batch.h"

namespace forkscope {

class NdjsonRenderer {
 public:
  // signalNames[n]: what electron/common/events.ts signalName(n) returns, for every n a wait
  // status's low 7 bits can hold (0..127; native/index.ts passes all 128).
  explicit NdjsonRenderer(std::vector<std::string> signalNames) : signalNames_(std::move(signalNames)) {}

  // Appends one line per event (with its '\n') to `out` and its end offset to `lineEnd`. A 'lost'
  // row gets an empty line (end == previous end): JS renders those few itself.
  void Render(const EventBatch& batch, std::vector<char>* out, std::vector<uint32_t>* lineEnd) const;

 private:
  std::vector<std::string> signalNames_;
};

}  // namespace forkscope
