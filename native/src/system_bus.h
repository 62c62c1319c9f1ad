// A minimal, blocking D-Bus client for the system bus: just enough of the wire protocol to call
// a few methods with basic-typed arguments and read basic-typed replies (RealtimeKit needs no
// more). Written here instead of linking libdbus or sd-bus so that the addon builds and loads
// with no extra library, and so that every step honours one absolute deadline: a missing bus
// fails at once and a wedged one costs at most the caller's budget, never libdbus's 25 s.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace forkscope {

// The body of a method call, marshalled as arguments are appended (native byte order).
class DbusArgs {
 public:
  DbusArgs& Uint32(uint32_t value);
  DbusArgs& Int32(int32_t value);
  DbusArgs& Uint64(uint64_t value);
  DbusArgs& String(const std::string& value);
  const std::string& signature() const { return signature_; }
  const std::vector<uint8_t>& bytes() const { return bytes_; }

 private:
  std::string signature_;
  std::vector<uint8_t> bytes_;
};

struct DbusReply {
  // Empty on success. Otherwise the D-Bus error name ("org.freedesktop.DBus.Error.ServiceUnknown")
  // or, when the bus itself failed, "transport".
  std::string error;
  // The error's message, or what went wrong with the transport ("timed out", "ECONNREFUSED").
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

  // Connects to the bus at address (see SystemBusAddress), authenticates as this process's uid
  // and says Hello. deadlineNs is CLOCK_MONOTONIC. Returns "" on success, else a short reason
  // ("no system bus", "timed out", an errno name).
  std::string Connect(const std::string& address, int64_t deadlineNs);

  DbusReply Call(const std::string& destination, const std::string& path, const std::string& interface,
                 const std::string& member, const DbusArgs& args, int64_t deadlineNs);

 private:
  bool SendAll(const void* data, size_t len, int64_t deadlineNs, std::string* why);
  // Reads until inbox_ holds at least len bytes.
  bool Fill(size_t len, int64_t deadlineNs, std::string* why);

  int fd_ = -1;
  uint32_t serial_ = 0;
  std::string inbox_;
};

// $DBUS_SYSTEM_BUS_ADDRESS, or the specification's default. Read it on the JS thread: getenv
// races with a setenv there (process.env writes) when called from another thread.
std::string SystemBusAddress();

}  // namespace forkscope
