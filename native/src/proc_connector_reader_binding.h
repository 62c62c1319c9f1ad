// The JS face of the watcher: `new Watcher(options, onMessage)` with close(), info(), stats().
// onMessage receives {type: 'ready'}, {type: 'error', code, message} or a column batch
// {type: 'batch', ...}; native/index.ts turns these into the public startWatcher() API.
#pragma once

#include <napi.h>

#include <memory>

#include "proc_connector_reader.h"

namespace forkscope {

class NativeWatcher : public Napi::ObjectWrap<NativeWatcher> {
 public:
  static Napi::Function Define(Napi::Env env);
  explicit NativeWatcher(const Napi::CallbackInfo& info);
  ~NativeWatcher() override;

 private:
  Napi::Value Close(const Napi::CallbackInfo& info);
  Napi::Value Info(const Napi::CallbackInfo& info);
  Napi::Value Stats(const Napi::CallbackInfo& info);

  // Shared with the thread-safe function, whose finalizer may outlive this wrapper or the
  // other way round; the core joins its reader before it is destroyed either way.
  std::shared_ptr<WatcherCore> core_;
};

}  // namespace forkscope
