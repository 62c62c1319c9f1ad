// libdbus-1, the reference D-Bus client library, loaded at run time with dlopen (as SDL does)
// rather than linked: the addon then loads on a machine without it, where RealtimeKit is simply
// "no libdbus". Built without libdbus's headers (libdbus-1-dev): the few declarations below
// copy its public ABI, stable since 1.0 (soname libdbus-1.so.3).
#pragma once

#include <cstdint>
#include <string>

namespace forkscope {

struct DBusConnection;
struct DBusMessage;
struct DBusPendingCall;

// dbus-errors.h: name and message are public; the rest only reserves room.
struct DBusError {
  const char* name;
  const char* message;
  unsigned int dummy1 : 1, dummy2 : 1, dummy3 : 1, dummy4 : 1, dummy5 : 1;
  void* padding1;
};

// dbus-message.h: caller-allocated, opaque.
struct DBusMessageIter {
  void* dummy1;
  void* dummy2;
  uint32_t dummy3;
  int dummy4, dummy5, dummy6, dummy7, dummy8, dummy9, dummy10, dummy11;
  int pad1;
  void* pad2;
  void* pad3;
};

// dbus-types.h: what dbus_message_iter_get_basic writes, each type at its own width.
union DBusBasicValue {
  unsigned char bytes[8];
  int16_t i16;
  uint16_t u16;
  int32_t i32;
  uint32_t u32;
  uint32_t bool_val;
  int64_t i64;
  uint64_t u64;
  double dbl;
  unsigned char byt;
  char* str;
  int fd;
};

// Type codes are their signature characters (dbus-protocol.h).
constexpr int kDbusTypeInvalid = 0;
constexpr int kDbusTypeVariant = 'v';
constexpr int kDbusMessageTypeError = 3;

// The functions the system bus client calls, named as in libdbus without the dbus_ prefix.
struct LibDbus {
  void (*error_init)(DBusError*);
  void (*error_free)(DBusError*);
  DBusConnection* (*connection_open_private)(const char* address, DBusError*);
  void (*connection_close)(DBusConnection*);
  void (*connection_unref)(DBusConnection*);
  uint32_t (*connection_send_with_reply)(DBusConnection*, DBusMessage*, DBusPendingCall** pending, int timeoutMs);
  // Reads and writes for at most timeoutMs, or dispatches one message read earlier; false once
  // the connection is lost.
  uint32_t (*connection_read_write_dispatch)(DBusConnection*, int timeoutMs);
  uint32_t (*pending_call_get_completed)(DBusPendingCall*);
  DBusMessage* (*pending_call_steal_reply)(DBusPendingCall*);
  void (*pending_call_cancel)(DBusPendingCall*);
  void (*pending_call_unref)(DBusPendingCall*);
  DBusMessage* (*message_new_method_call)(const char* destination, const char* path, const char* interface,
                                          const char* method);
  // (message, type, &value, type, &value, ..., kDbusTypeInvalid); false when out of memory.
  uint32_t (*message_append_args)(DBusMessage*, int firstType, ...);
  void (*message_unref)(DBusMessage*);
  int (*message_get_type)(DBusMessage*);
  uint32_t (*set_error_from_message)(DBusError*, DBusMessage*);
  uint32_t (*message_iter_init)(DBusMessage*, DBusMessageIter*);
  int (*message_iter_get_arg_type)(DBusMessageIter*);
  void (*message_iter_recurse)(DBusMessageIter*, DBusMessageIter*);
  void (*message_iter_get_basic)(DBusMessageIter*, void* value);
};

// Loads libdbus-1.so.3 on first use, from any thread, and keeps it loaded (libdbus keeps global
// state, and the process may share it with Electron's own D-Bus use). nullptr when the library
// or one of its functions is missing, with *why set: "no libdbus", "libdbus lacks dbus_...".
const LibDbus* LoadLibDbus(std::string* why);

}  // namespace forkscope
