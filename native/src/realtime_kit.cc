#include "realtime_kit.h"

namespace forkscope {

namespace {

constexpr char kService[] = "org.freedesktop.RealtimeKit1";
constexpr char kObject[] = "/org/freedesktop/RealtimeKit1";
constexpr char kStandardErrorPrefix[] = "org.freedesktop.DBus.Error.";
// Enough to say why in a status line; RealtimeKit's and the bus's messages are short anyway.
constexpr size_t kMaxReasonChars = 100;

// Turns a failed reply into a reason short enough for the priority string.
std::string ReasonOf(const DbusReply& reply) {
  if (reply.error == "transport") return reply.message;
  // Neither running nor activatable: the common case off the desktop (servers, containers, CI).
  if (reply.error == "org.freedesktop.DBus.Error.ServiceUnknown" ||
      reply.error == "org.freedesktop.DBus.Error.NameHasNoOwner") {
    return "not running";
  }
  std::string name = reply.error;
  if (name.rfind(kStandardErrorPrefix, 0) == 0) name.erase(0, sizeof kStandardErrorPrefix - 1);
  std::string reason = reply.message.empty() ? name : name + " (" + reply.message + ")";
  if (reason.size() > kMaxReasonChars) reason = reason.substr(0, kMaxReasonChars - 3) + "...";
  return reason;
}

}  // namespace

RealtimeKit::RealtimeKit(const std::string& busAddress, int64_t deadlineNs)
    : deadlineNs_(deadlineNs), connected_(bus_.Connect(busAddress, deadlineNs_)) {}

DbusReply RealtimeKit::Call(const std::string& interface, const std::string& member, const DbusArgs& args) {
  if (!connected_.error.empty()) return connected_;
  return bus_.Call(kService, kObject, interface, member, args, deadlineNs_);
}

std::string RealtimeKit::ReadProperty(const char* name, int64_t* value) {
  DbusReply reply = Call("org.freedesktop.DBus.Properties", "Get", DbusArgs().String(kService).String(name));
  if (!reply.error.empty()) return ReasonOf(reply);
  if (!reply.hasInteger) return std::string("unexpected ") + name + " reply";
  *value = reply.integer;
  return "";
}

std::string RealtimeKit::ReadLimits(RealtimeKitLimits* out) {
  int64_t maxPriority = 0, rttime = 0, minNice = 0;
  std::string why = ReadProperty("MaxRealtimePriority", &maxPriority);
  if (why.empty()) why = ReadProperty("RTTimeUSecMax", &rttime);
  if (why.empty()) why = ReadProperty("MinNiceLevel", &minNice);
  if (!why.empty()) return why;
  out->maxRealtimePriority = static_cast<int32_t>(maxPriority);
  out->rttimeUsecMax = rttime;
  out->minNiceLevel = static_cast<int32_t>(minNice);
  return "";
}

std::string RealtimeKit::MakeThreadRealtime(pid_t tid, uint32_t priority) {
  DbusReply reply = Call(kService, "MakeThreadRealtime", DbusArgs().Uint64(static_cast<uint64_t>(tid)).Uint32(priority));
  return reply.error.empty() ? "" : ReasonOf(reply);
}

std::string RealtimeKit::MakeThreadHighPriority(pid_t tid, int32_t niceLevel) {
  DbusReply reply =
      Call(kService, "MakeThreadHighPriority", DbusArgs().Uint64(static_cast<uint64_t>(tid)).Int32(niceLevel));
  return reply.error.empty() ? "" : ReasonOf(reply);
}

}  // namespace forkscope
