#include "proc_connector_reader_binding.h"

#include <cstring>

#include "errno_name.h"

namespace forkscope {

namespace {

// Reads an optional integer option in [min, max]; absent or undefined keeps the default.
int64_t IntOption(const Napi::Object& options, const char* name, int64_t fallback, int64_t min, int64_t max) {
  Napi::Value v = options.Get(name);
  if (v.IsUndefined()) return fallback;
  if (!v.IsNumber()) throw Napi::TypeError::New(options.Env(), std::string(name) + " must be a number");
  double d = v.As<Napi::Number>().DoubleValue();
  if (d != static_cast<double>(static_cast<int64_t>(d)) || d < static_cast<double>(min) || d > static_cast<double>(max)) {
    throw Napi::RangeError::New(options.Env(), std::string(name) + " must be an integer in " + std::to_string(min) +
                                                   ".." + std::to_string(max));
  }
  return static_cast<int64_t>(d);
}

ReaderOptions ParseOptions(const Napi::Object& o) {
  ReaderOptions w;
  w.rcvbufBytes = static_cast<int>(IntOption(o, "rcvbufBytes", w.rcvbufBytes, 1024, 1 << 30));
  w.argvMaxBytes = static_cast<size_t>(IntOption(o, "argvMaxBytes", static_cast<int64_t>(w.argvMaxBytes), 1, 16 << 20));
  w.flushIntervalMs = static_cast<int>(IntOption(o, "flushIntervalMs", w.flushIntervalMs, 0, 10000));
  w.ackTimeoutMs = static_cast<int>(IntOption(o, "ackTimeoutMs", w.ackTimeoutMs, 1, 60000));
  w.debugStallUs = static_cast<int>(IntOption(o, "debugStallUs", 0, 0, 1000000));
  w.maxQueuedEvents = static_cast<size_t>(IntOption(o, "debugMaxQueuedEvents", static_cast<int64_t>(w.maxQueuedEvents), 1, 1 << 20));
  w.helperTimeoutMs = static_cast<int>(IntOption(o, "helperTimeoutMs", w.helperTimeoutMs, 1, 60000));
  Napi::Value helper = o.Get("helperPath");
  if (!helper.IsUndefined()) {
    if (!helper.IsString()) throw Napi::TypeError::New(o.Env(), "helperPath must be a string");
    w.helperPath = helper.As<Napi::String>().Utf8Value();
    // An absolute path only: the reader thread spawns it, and a relative one would depend on
    // whatever the working directory is then.
    if (w.helperPath.empty() || w.helperPath[0] != '/' || w.helperPath.find('\0') != std::string::npos) {
      throw Napi::TypeError::New(o.Env(), "helperPath must be an absolute path");
    }
  }
  Napi::Value rt = o.Get("realtime");
  if (!rt.IsUndefined()) {
    if (!rt.IsBoolean()) throw Napi::TypeError::New(o.Env(), "realtime must be a boolean");
    w.realtime = rt.As<Napi::Boolean>().Value();
  }
  Napi::Value names = o.Get("ndjsonSignalNames");
  if (!names.IsUndefined()) {
    if (!names.IsArray()) throw Napi::TypeError::New(o.Env(), "ndjsonSignalNames must be an array of strings");
    auto array = names.As<Napi::Array>();
    if (array.Length() > 256) throw Napi::RangeError::New(o.Env(), "ndjsonSignalNames: at most 256 names");
    w.ndjson = true;
    for (uint32_t i = 0; i < array.Length(); ++i) {
      Napi::Value name = array.Get(i);
      if (!name.IsString()) throw Napi::TypeError::New(o.Env(), "ndjsonSignalNames must be an array of strings");
      w.ndjsonSignalNames.push_back(name.As<Napi::String>().Utf8Value());
    }
  }
  return w;
}

}  // namespace

Napi::Function ProcConnectorReaderWrap::Define(Napi::Env env) {
  return DefineClass(env, "Watcher",
                     {InstanceMethod<&ProcConnectorReaderWrap::Close>("close"), InstanceMethod<&ProcConnectorReaderWrap::Info>("info"),
                      InstanceMethod<&ProcConnectorReaderWrap::Stats>("stats")});
}

ProcConnectorReaderWrap::ProcConnectorReaderWrap(const Napi::CallbackInfo& info) : Napi::ObjectWrap<ProcConnectorReaderWrap>(info) {
  Napi::Env env = info.Env();
  if (info.Length() < 2 || !info[0].IsObject() || !info[1].IsFunction()) {
    throw Napi::TypeError::New(env, "Watcher(options: object, onMessage: function)");
  }
  ReaderOptions options = ParseOptions(info[0].As<Napi::Object>());

  ConnectorSocket socket;
  // Through the capture helper, the reader thread obtains the socket itself (see Run()).
  if (int err = options.helperPath.empty() ? OpenConnectorSocket(options.rcvbufBytes, &socket) : 0; err != 0) {
    Napi::Error error = Napi::Error::New(env, std::string("cannot open the netlink proc connector: ") + strerror(err));
    error.Set("code", ErrnoName(err));
    throw error;
  }
  core_ = std::make_shared<ProcConnectorReader>(env, options, socket);
  auto* holder = new std::shared_ptr<ProcConnectorReader>(core_);
  // Unlimited queue: the core bounds what is in flight itself and drops with a 'lost' marker,
  // so the reader thread never blocks on JS. Ref'd while open: a CLI `events` command keeps
  // running on the reader alone; close() lets the process exit.
  ReaderTsfn tsfn = ReaderTsfn::New(
      env, info[1].As<Napi::Function>(), "forkscope proc connector reader", 0, 1, core_.get(),
      [](Napi::Env, std::shared_ptr<ProcConnectorReader>* data, ProcConnectorReader* core) {
        core->OnTsfnFinalized();
        delete data;
      },
      holder);
  core_->Start(tsfn);
}

ProcConnectorReaderWrap::~ProcConnectorReaderWrap() {
  if (core_) core_->Close();
}

Napi::Value ProcConnectorReaderWrap::Close(const Napi::CallbackInfo& info) {
  core_->Close();
  return info.Env().Undefined();
}

Napi::Value ProcConnectorReaderWrap::Info(const Napi::CallbackInfo& info) {
  Napi::Object out = Napi::Object::New(info.Env());
  out.Set("priority", core_->priority());
  out.Set("rcvbufBytes", core_->rcvbufBytes());
  return out;
}

Napi::Value ProcConnectorReaderWrap::Stats(const Napi::CallbackInfo& info) {
  const ReaderCounters& c = core_->counters();
  Napi::Object out = Napi::Object::New(info.Env());
  out.Set("events", static_cast<double>(c.events.load()));
  out.Set("lost", static_cast<double>(c.lost.load()));
  out.Set("enobufs", static_cast<double>(c.enobufs.load()));
  out.Set("seqGaps", static_cast<double>(c.seqGaps.load()));
  out.Set("batches", static_cast<double>(c.batches.load()));
  return out;
}

}  // namespace forkscope
