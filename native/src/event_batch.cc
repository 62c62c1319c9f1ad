#include "event_batch.h"

#include "js_columns.h"

namespace forkscope {

void EventBatch::Reserve(size_t events, size_t stringBytes) {
  for (auto* v : {&kind, &flags}) v->reserve(events);
  for (auto* v : {&pid, &tid, &ppid, &cpu, &kindValue1, &kindValue2, &commOff, &commLen, &argvOff, &argvLen, &exeOff, &exeLen}) {
    v->reserve(events);
  }
  ts.reserve(events);
  startTime.reserve(events);
  strings.reserve(stringBytes);
}

size_t EventBatch::Append(EventKind k, double tsMs, int32_t cpuIndex, int32_t pidValue, int32_t tidValue) {
  kind.push_back(static_cast<uint8_t>(k));
  flags.push_back(0);
  pid.push_back(pidValue);
  tid.push_back(tidValue);
  ppid.push_back(-1);
  cpu.push_back(cpuIndex);
  kindValue1.push_back(0);
  kindValue2.push_back(0);
  ts.push_back(tsMs);
  startTime.push_back(-1);
  for (auto* v : {&commOff, &commLen, &argvOff, &argvLen, &exeOff, &exeLen}) v->push_back(-1);
  return kind.size() - 1;
}

void EventBatch::PutString(const char* data, size_t len, int32_t* off, int32_t* outLen) {
  *off = static_cast<int32_t>(strings.size());
  *outLen = static_cast<int32_t>(len);
  strings.insert(strings.end(), data, data + len);
}

void EventBatch::SetComm(size_t i, const char* data, size_t len) { PutString(data, len, &commOff[i], &commLen[i]); }
void EventBatch::SetArgv(size_t i, const char* data, size_t len) { PutString(data, len, &argvOff[i], &argvLen[i]); }
void EventBatch::SetExe(size_t i, const char* data, size_t len) { PutString(data, len, &exeOff[i], &exeLen[i]); }
void EventBatch::ClearExecReads(size_t i) {
  argvOff[i] = -1;
  argvLen[i] = -1;
  exeOff[i] = -1;
  exeLen[i] = -1;
  flags[i] &= static_cast<uint8_t>(~(kArgvTruncated | kArgvLossy));
}

uint64_t EventBatch::LossIfDropped() const {
  uint64_t lost = 0;
  for (size_t i = 0; i < kind.size(); ++i) {
    if (kind[i] != static_cast<uint8_t>(EventKind::kLost)) lost++;
    else if (LostCount(i) > 0) lost += static_cast<uint64_t>(LostCount(i));
  }
  return lost;
}

Napi::Object EventBatch::ToJs(Napi::Env env) const {
  Napi::Object out = Napi::Object::New(env);
  out.Set("kind", CopyColumn<Napi::Uint8Array>(env, kind));
  out.Set("flags", CopyColumn<Napi::Uint8Array>(env, flags));
  out.Set("pid", CopyColumn<Napi::Int32Array>(env, pid));
  out.Set("tid", CopyColumn<Napi::Int32Array>(env, tid));
  out.Set("ppid", CopyColumn<Napi::Int32Array>(env, ppid));
  out.Set("cpu", CopyColumn<Napi::Int32Array>(env, cpu));
  out.Set("kindValue1", CopyColumn<Napi::Int32Array>(env, kindValue1));
  out.Set("kindValue2", CopyColumn<Napi::Int32Array>(env, kindValue2));
  out.Set("ts", CopyColumn<Napi::Float64Array>(env, ts));
  out.Set("startTime", CopyColumn<Napi::Float64Array>(env, startTime));
  out.Set("commOff", CopyColumn<Napi::Int32Array>(env, commOff));
  out.Set("commLen", CopyColumn<Napi::Int32Array>(env, commLen));
  out.Set("argvOff", CopyColumn<Napi::Int32Array>(env, argvOff));
  out.Set("argvLen", CopyColumn<Napi::Int32Array>(env, argvLen));
  out.Set("exeOff", CopyColumn<Napi::Int32Array>(env, exeOff));
  out.Set("exeLen", CopyColumn<Napi::Int32Array>(env, exeLen));
  out.Set("strings", Napi::Buffer<char>::Copy(env, strings.data(), strings.size()));
  if (!lineEnd.empty()) {
    out.Set("ndjson", Napi::Buffer<char>::Copy(env, ndjson.data(), ndjson.size()));
    out.Set("lineEnd", CopyColumn<Napi::Uint32Array>(env, lineEnd));
  }
  return out;
}

}  // namespace forkscope
