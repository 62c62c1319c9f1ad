// The JS face of the proc-connector reader: `new Watcher(options, onMessage)` with close(),
// info(), stats(). onMessage receives {type: 'ready'}, {type: 'error', code, message} or a column
// batch {type: 'batch', ...}; native/index.ts turns these into the public startWatcher() API (the
// TypeScript side calls the reader a watcher: it watches the process tree).
#pragma once

#include <napi.h>

#include <memory>

#include "proc_connector_reader.h"

namespace forkscope {

class ProcConnectorReaderWrap : public Napi::ObjectWrap<ProcConnectorReaderWrap> {
 public:
  static Napi::Function Define(Napi::Env env);
  explicit ProcConnectorReaderWrap(const Napi::CallbackInfo& info);
  ~ProcConnectorReaderWrap() override;

 private:
  Napi::Value Close(const Napi::CallbackInfo& info);
  Napi::Value Info(const Napi::CallbackInfo& info);
  Napi::Value Stats(const Napi::CallbackInfo& info);

  // Shared with the thread-safe function, whose finalizer may outlive this wrapper or the
  // other way round; the core joins its reader before it is destroyed either way.
  std::shared_ptr<ProcConnectorReader> core_;
};

}  // namespace forkscope
