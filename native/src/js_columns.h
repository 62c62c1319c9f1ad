// Column vectors → JS typed arrays, for the proc-connector reader's batches and the scanner's
// result. Copies, not external buffers: Electron's V8 sandbox forbids external ArrayBuffers.
#pragma once

#include <napi.h>

#include <cstring>
#include <vector>

namespace forkscope {

template <typename TypedArray, typename T>
TypedArray CopyColumn(Napi::Env env, const std::vector<T>& column) {
  auto array = TypedArray::New(env, column.size());
  if (!column.empty()) memcpy(array.Data(), column.data(), column.size() * sizeof(T));
  return array;
}

}  // namespace forkscope
