#include "libdbus.h"

#include <dlfcn.h>

namespace forkscope {

namespace {

struct Loaded {
  LibDbus table{};
  std::string why;
};

// Fills *slot with the named function; false, with why set, when the library lacks it.
template <typename Fn>
bool Bind(void* handle, const char* name, Fn* slot, std::string* why) {
  *slot = reinterpret_cast<Fn>(dlsym(handle, name));
  if (*slot == nullptr) *why = std::string("libdbus lacks ") + name;
  return *slot != nullptr;
}

Loaded Load() {
  Loaded loaded;
  void* handle = dlopen("libdbus-1.so.3", RTLD_NOW | RTLD_LOCAL);
  if (handle == nullptr) {
    loaded.why = "no libdbus";
    return loaded;
  }
  LibDbus& t = loaded.table;
  std::string& why = loaded.why;
  // Stops at the first missing function, leaving why set.
  (void)(Bind(handle, "dbus_error_init", &t.error_init, &why) &&
         Bind(handle, "dbus_error_free", &t.error_free, &why) &&
         Bind(handle, "dbus_connection_open_private", &t.connection_open_private, &why) &&
         Bind(handle, "dbus_connection_close", &t.connection_close, &why) &&
         Bind(handle, "dbus_connection_unref", &t.connection_unref, &why) &&
         Bind(handle, "dbus_connection_send_with_reply", &t.connection_send_with_reply, &why) &&
         Bind(handle, "dbus_connection_read_write_dispatch", &t.connection_read_write_dispatch, &why) &&
         Bind(handle, "dbus_pending_call_get_completed", &t.pending_call_get_completed, &why) &&
         Bind(handle, "dbus_pending_call_steal_reply", &t.pending_call_steal_reply, &why) &&
         Bind(handle, "dbus_pending_call_cancel", &t.pending_call_cancel, &why) &&
         Bind(handle, "dbus_pending_call_unref", &t.pending_call_unref, &why) &&
         Bind(handle, "dbus_message_new_method_call", &t.message_new_method_call, &why) &&
         Bind(handle, "dbus_message_append_args", &t.message_append_args, &why) &&
         Bind(handle, "dbus_message_unref", &t.message_unref, &why) &&
         Bind(handle, "dbus_message_get_type", &t.message_get_type, &why) &&
         Bind(handle, "dbus_set_error_from_message", &t.set_error_from_message, &why) &&
         Bind(handle, "dbus_message_iter_init", &t.message_iter_init, &why) &&
         Bind(handle, "dbus_message_iter_get_arg_type", &t.message_iter_get_arg_type, &why) &&
         Bind(handle, "dbus_message_iter_recurse", &t.message_iter_recurse, &why) &&
         Bind(handle, "dbus_message_iter_get_basic", &t.message_iter_get_basic, &why));
  return loaded;
}

}  // namespace

const LibDbus* LoadLibDbus(std::string* why) {
  // Initialised once, under the lock C++ puts around function-local statics.
  static const Loaded loaded = Load();
  if (!loaded.why.empty()) {
    *why = loaded.why;
    return nullptr;
  }
  return &loaded.table;
}

}  // namespace forkscope
