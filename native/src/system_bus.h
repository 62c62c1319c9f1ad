// A blocking client for the system bus over libdbus-1 (libdbus.h), for the few calls RealtimeKit
// needs: basic-typed arguments in, one integer (or an integer in a variant) back. Every step
// honours one absolute deadline: a missing bus fails at once and a wedged one costs at most the
// caller's budget, never libdbus's default 25 s.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "libdbus.h"

namespace forkscope {

// The arguments of a method call, in order.
class DbusArgs {
 public:
  DbusArgs& Uint32(uint32_t value);
  DbusArgs& Int32(int32_t value);
  DbusArgs& Uint64(uint64_t value);
  DbusArgs& String(const std::string& value);

 private:
  friend class SystemBus;
  struct Arg {
    char type;  // its signature character
    uint64_t bits;
    std::string text;
  };
  std::vector<Arg> args_;
};

struct DbusReply {
  // Empty on success. Otherwise the D-Bus error name ("org.freedesktop.DBus.Error.AccessDenied")
  // or, when the bus itself failed, "transport".
  std::string error;
  // The error's message, or what went wrong with the transport ("timed out", "no system bus").
  std::string message;
  // Success: the first value of the body when it is an integer, or an integer in a variant
  // (what org.freedesktop.DBus.Properties.Get returns). hasInteger says whether there was one.
  bool hasInteger = false;
  int64_t integer = 0;
};

class SystemBus {
 public:
  SystemBus() = default;
  ~SystemBus();
  SystemBus(const SystemBus&) = delete;
  SystemBus& operator=(const SystemBus&) = delete;

  // Connects to the bus at address (see SystemBusAddress) on a private connection, and says
  // Hello. deadlineNs is CLOCK_MONOTONIC. An error says why not: "transport" with "no libdbus",
  // "no system bus", "timed out", ..., or what the bus answered.
  DbusReply Connect(const std::string& address, int64_t deadlineNs);

  DbusReply Call(const std::string& destination, const std::string& path, const std::string& interface,
                 const std::string& member, const DbusArgs& args, int64_t deadlineNs);

 private:
  const LibDbus* dbus_ = nullptr;
  DBusConnection* connection_ = nullptr;
};

// $DBUS_SYSTEM_BUS_ADDRESS, or the specification's default. Read it on the JS thread: getenv
// races with a setenv there (process.env writes) when called from another thread.
std::string SystemBusAddress();

}  // namespace forkscope
