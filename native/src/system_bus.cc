#include "system_bus.h"

#include <cstdlib>
#include <cstring>

#include "clock.h"

namespace forkscope {

namespace {

constexpr char kDefaultAddress[] = "unix:path=/var/run/dbus/system_bus_socket";

int RemainingMs(int64_t deadlineNs) {
  int64_t left = deadlineNs - MonotonicNs();
  if (left <= 0) return 0;
  return static_cast<int>((left + 999999) / 1000000);
}

DbusReply TransportFailure(const std::string& why) {
  DbusReply reply;
  reply.error = "transport";
  reply.message = why;
  return reply;
}

// Turns a libdbus error into a reply, and frees it.
DbusReply ReplyOf(const LibDbus& dbus, DBusError* error) {
  DbusReply reply;
  reply.error = error->name != nullptr ? error->name : "org.freedesktop.DBus.Error.Failed";
  reply.message = error->message != nullptr ? error->message : "";
  dbus.error_free(error);
  // What libdbus says when nothing listens at the address (ENOENT, ECONNREFUSED).
  if (reply.error == "org.freedesktop.DBus.Error.FileNotFound" || reply.error == "org.freedesktop.DBus.Error.NoServer") {
    return TransportFailure("no system bus");
  }
  return reply;
}

bool IsIntegerType(int type) { return type > 0 && type < 128 && strchr("ynqbuhixt", type) != nullptr; }

// The integer of `type` that get_basic wrote, sign-extended.
int64_t IntegerOf(int type, const DBusBasicValue& value) {
  switch (type) {
    case 'y': return value.byt;
    case 'n': return value.i16;
    case 'q': return value.u16;
    case 'i': return value.i32;
    case 'b':
    case 'u':
    case 'h': return value.u32;
    case 'x': return value.i64;
    default: return static_cast<int64_t>(value.u64);  // 't'
  }
}

// Reads the first value of a method return into reply when it is an integer, or a variant
// holding one.
void ReadInteger(const LibDbus& dbus, DBusMessage* answer, DbusReply* reply) {
  DBusMessageIter iter{};
  if (!dbus.message_iter_init(answer, &iter)) return;
  int type = dbus.message_iter_get_arg_type(&iter);
  DBusMessageIter inner{};
  DBusMessageIter* at = &iter;
  if (type == kDbusTypeVariant) {
    dbus.message_iter_recurse(&iter, &inner);
    at = &inner;
    type = dbus.message_iter_get_arg_type(at);
  }
  if (!IsIntegerType(type)) return;
  DBusBasicValue value{};
  dbus.message_iter_get_basic(at, &value);
  reply->integer = IntegerOf(type, value);
  reply->hasInteger = true;
}

}  // namespace

std::string SystemBusAddress() {
  const char* fromEnv = getenv("DBUS_SYSTEM_BUS_ADDRESS");
  return fromEnv != nullptr && fromEnv[0] != '\0' ? fromEnv : kDefaultAddress;
}

DbusArgs& DbusArgs::Uint32(uint32_t value) {
  args_.push_back({'u', value, ""});
  return *this;
}

DbusArgs& DbusArgs::Int32(int32_t value) {
  args_.push_back({'i', static_cast<uint64_t>(static_cast<uint32_t>(value)), ""});
  return *this;
}

DbusArgs& DbusArgs::Uint64(uint64_t value) {
  args_.push_back({'t', value, ""});
  return *this;
}

DbusArgs& DbusArgs::String(const std::string& value) {
  args_.push_back({'s', 0, value});
  return *this;
}

SystemBus::~SystemBus() {
  if (connection_ == nullptr) return;
  // A private connection must be closed before its last reference goes.
  dbus_->connection_close(connection_);
  dbus_->connection_unref(connection_);
}

DbusReply SystemBus::Connect(const std::string& address, int64_t deadlineNs) {
  std::string why;
  dbus_ = LoadLibDbus(&why);
  if (dbus_ == nullptr) return TransportFailure(why);
  DBusError error;
  dbus_->error_init(&error);
  // Connects the socket at once; authentication runs inside the first call below.
  connection_ = dbus_->connection_open_private(address.c_str(), &error);
  if (connection_ == nullptr) return ReplyOf(*dbus_, &error);
  // What dbus_bus_register() does, but within our deadline: it would wait up to 25 s.
  return Call("org.freedesktop.DBus", "/org/freedesktop/DBus", "org.freedesktop.DBus", "Hello", DbusArgs(), deadlineNs);
}

DbusReply SystemBus::Call(const std::string& destination, const std::string& path, const std::string& interface,
                          const std::string& member, const DbusArgs& args, int64_t deadlineNs) {
  if (connection_ == nullptr) return TransportFailure("not connected");
  const int timeoutMs = RemainingMs(deadlineNs);
  if (timeoutMs == 0) return TransportFailure("timed out");

  DBusMessage* call =
      dbus_->message_new_method_call(destination.c_str(), path.c_str(), interface.c_str(), member.c_str());
  if (call == nullptr) return TransportFailure("out of memory");
  bool appended = true;
  for (const DbusArgs::Arg& arg : args.args_) {
    // append_args reads each value through a pointer to its own width.
    const uint32_t u32 = static_cast<uint32_t>(arg.bits);
    const char* text = arg.text.c_str();
    const void* value = arg.type == 's' ? static_cast<const void*>(&text)
                        : arg.type == 't' ? static_cast<const void*>(&arg.bits)
                                          : static_cast<const void*>(&u32);
    appended = appended && dbus_->message_append_args(call, arg.type, value, kDbusTypeInvalid);
  }
  if (!appended) {
    dbus_->message_unref(call);
    return TransportFailure("out of memory");
  }

  // Not dbus_connection_send_with_reply_and_block: it flushes first with no timeout at all, and
  // nothing is flushed before authentication, so a bus that accepts and never answers would
  // hold this thread for ever. Driving the connection ourselves keeps every wait bounded.
  DBusPendingCall* pending = nullptr;
  const bool queued = dbus_->connection_send_with_reply(connection_, call, &pending, timeoutMs) && pending != nullptr;
  dbus_->message_unref(call);
  if (!queued) return TransportFailure("bus closed the connection");
  bool connected = true;
  while (!dbus_->pending_call_get_completed(pending) && connected) {
    const int waitMs = RemainingMs(deadlineNs);
    if (waitMs == 0) break;
    connected = dbus_->connection_read_write_dispatch(connection_, waitMs);
  }
  DBusMessage* answer = dbus_->pending_call_get_completed(pending) ? dbus_->pending_call_steal_reply(pending) : nullptr;
  if (answer == nullptr) dbus_->pending_call_cancel(pending);
  dbus_->pending_call_unref(pending);
  if (answer == nullptr) return TransportFailure(connected ? "timed out" : "bus closed the connection");
  if (dbus_->message_get_type(answer) == kDbusMessageTypeError) {
    DBusError error;
    dbus_->error_init(&error);
    dbus_->set_error_from_message(&error, answer);
    dbus_->message_unref(answer);
    return ReplyOf(*dbus_, &error);
  }
  DbusReply reply;
  ReadInteger(*dbus_, answer, &reply);
  dbus_->message_unref(answer);
  return reply;
}

}  // namespace forkscope
