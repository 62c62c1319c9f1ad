#include "system_bus.h"

#include <poll.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include <cerrno>
#include <cstddef>
#include <cstdlib>
#include <cstring>

#include "clock.h"
#include "errno_name.h"

namespace forkscope {

namespace {

constexpr uint8_t kMethodCall = 1;
constexpr uint8_t kMethodReturn = 2;
constexpr uint8_t kError = 3;
constexpr uint8_t kFieldPath = 1, kFieldInterface = 2, kFieldMember = 3, kFieldErrorName = 4, kFieldReplySerial = 5,
                  kFieldDestination = 6, kFieldSignature = 8;
// Replies to our calls are tiny; anything this large is not for us or not sane.
constexpr size_t kMaxMessageBytes = 1 << 20;
constexpr char kDefaultAddress[] = "unix:path=/var/run/dbus/system_bus_socket";

bool HostIsLittleEndian() {
  const uint16_t one = 1;
  uint8_t first;
  memcpy(&first, &one, 1);
  return first == 1;
}

void Pad(std::vector<uint8_t>& out, size_t align) {
  while (out.size() % align != 0) out.push_back(0);
}

template <typename T>
void PutFixed(std::vector<uint8_t>& out, T value) {
  Pad(out, sizeof(T));
  const auto* bytes = reinterpret_cast<const uint8_t*>(&value);
  out.insert(out.end(), bytes, bytes + sizeof(T));
}

void PutString(std::vector<uint8_t>& out, const std::string& s) {
  PutFixed<uint32_t>(out, static_cast<uint32_t>(s.size()));
  out.insert(out.end(), s.begin(), s.end());
  out.push_back(0);
}

void PutSignature(std::vector<uint8_t>& out, const std::string& s) {
  out.push_back(static_cast<uint8_t>(s.size()));
  out.insert(out.end(), s.begin(), s.end());
  out.push_back(0);
}

void PutHeaderField(std::vector<uint8_t>& out, uint8_t code, char type, const std::string& value) {
  Pad(out, 8);  // each field is a STRUCT(BYTE, VARIANT)
  out.push_back(code);
  PutSignature(out, std::string(1, type));
  if (type == 'g') {
    PutSignature(out, value);
  } else {
    PutString(out, value);
  }
}

// Reads a marshalled message in either byte order (the bus relays each sender's own). Offsets are from the start of the buffer,
// which must itself sit at an 8-aligned offset of the message (the header and the body do).
class Reader {
 public:
  Reader(const uint8_t* data, size_t len, bool bigEndian) : data_(data), len_(len), bigEndian_(bigEndian) {}
  bool ok() const { return ok_; }
  size_t pos() const { return pos_; }
  void Seek(size_t pos) { pos_ = pos; }

  void Align(size_t align) {
    size_t aligned = (pos_ + align - 1) / align * align;
    if (aligned > len_) ok_ = false;
    pos_ = ok_ ? aligned : len_;
  }

  uint64_t Unsigned(size_t size) {
    Align(size);
    if (!ok_ || len_ - pos_ < size) {
      ok_ = false;
      return 0;
    }
    uint64_t value = 0;
    for (size_t i = 0; i < size; ++i) {
      const uint64_t byte = data_[pos_ + i];
      value = bigEndian_ ? (value << 8) | byte : value | byte << (8 * i);
    }
    pos_ += size;
    return value;
  }

  std::string Text(size_t length) {
    if (!ok_ || len_ - pos_ < length + 1) {
      ok_ = false;
      return "";
    }
    std::string s(reinterpret_cast<const char*>(data_ + pos_), length);
    pos_ += length + 1;  // and the NUL
    return s;
  }

  std::string String() { return Text(static_cast<size_t>(Unsigned(4))); }
  std::string Signature() { return Text(static_cast<size_t>(Unsigned(1))); }

  // Reads one value of a single-character basic type. Integers land in *integer (sign-extended
  // for signed types); strings are read and dropped. False for types this client does not speak.
  bool Basic(char type, int64_t* integer, std::string* text) {
    switch (type) {
      case 'y': *integer = static_cast<int64_t>(Unsigned(1)); return ok_;
      case 'n': *integer = static_cast<int16_t>(Unsigned(2)); return ok_;
      case 'q': *integer = static_cast<int64_t>(Unsigned(2)); return ok_;
      case 'b':
      case 'u':
      case 'h': *integer = static_cast<int64_t>(Unsigned(4)); return ok_;
      case 'i': *integer = static_cast<int32_t>(Unsigned(4)); return ok_;
      case 'x':
      case 't': *integer = static_cast<int64_t>(Unsigned(8)); return ok_;
      case 's':
      case 'o': *text = String(); return ok_;
      case 'g': *text = Signature(); return ok_;
      default: return false;
    }
  }

 private:
  const uint8_t* data_;
  size_t len_;
  size_t pos_ = 0;
  bool bigEndian_;
  bool ok_ = true;
};

bool IsIntegerType(char type) { return type != '\0' && strchr("ynqbuhixt", type) != nullptr; }

std::string HexOf(const std::string& s) {
  static const char kDigits[] = "0123456789abcdef";
  std::string hex;
  for (unsigned char c : s) {
    hex.push_back(kDigits[c >> 4]);
    hex.push_back(kDigits[c & 15]);
  }
  return hex;
}

int RemainingMs(int64_t deadlineNs) {
  int64_t left = deadlineNs - MonotonicNs();
  if (left <= 0) return 0;
  return static_cast<int>((left + 999999) / 1000000);
}

// After EAGAIN: waits until fd is ready for `events`. False, with why = "timed out", once the
// deadline has passed.
bool AwaitReady(int fd, short events, int64_t deadlineNs, std::string* why) {
  pollfd pfd{fd, events, 0};
  int ms = RemainingMs(deadlineNs);
  if (ms == 0 || poll(&pfd, 1, ms) == 0) {
    *why = "timed out";
    return false;
  }
  return true;  // ready, an error to read, or EINTR: the caller's next attempt tells
}

// Fills a unix socket address from "unix:path=..." or "unix:abstract=..." (the first such entry
// of a ';'-separated list). False when the address names no transport this client speaks.
bool ParseUnixAddress(const std::string& address, sockaddr_un* out, socklen_t* outLen) {
  size_t start = 0;
  while (start <= address.size()) {
    size_t end = address.find(';', start);
    if (end == std::string::npos) end = address.size();
    std::string entry = address.substr(start, end - start);
    start = end + 1;
    if (entry.rfind("unix:", 0) != 0) continue;
    for (const char* key : {"path=", "abstract="}) {
      size_t at = entry.find(key, 5);
      if (at == std::string::npos || (at != 5 && entry[at - 1] != ',')) continue;
      size_t valueStart = at + strlen(key);
      std::string value = entry.substr(valueStart, entry.find(',', valueStart) - valueStart);
      bool abstract = key[0] == 'a';
      if (value.empty() || value.size() + (abstract ? 1 : 0) >= sizeof out->sun_path) return false;
      *out = {};
      out->sun_family = AF_UNIX;
      memcpy(out->sun_path + (abstract ? 1 : 0), value.data(), value.size());
      // A path counts its NUL terminator; an abstract name counts its leading NUL instead.
      *outLen = static_cast<socklen_t>(offsetof(sockaddr_un, sun_path) + value.size() + 1);
      return true;
    }
  }
  return false;
}

}  // namespace

std::string SystemBusAddress() {
  const char* fromEnv = getenv("DBUS_SYSTEM_BUS_ADDRESS");
  return fromEnv != nullptr && fromEnv[0] != '\0' ? fromEnv : kDefaultAddress;
}

DbusArgs& DbusArgs::Uint32(uint32_t value) {
  signature_ += 'u';
  PutFixed(bytes_, value);
  return *this;
}

DbusArgs& DbusArgs::Int32(int32_t value) {
  signature_ += 'i';
  PutFixed(bytes_, value);
  return *this;
}

DbusArgs& DbusArgs::Uint64(uint64_t value) {
  signature_ += 't';
  PutFixed(bytes_, value);
  return *this;
}

DbusArgs& DbusArgs::String(const std::string& value) {
  signature_ += 's';
  PutString(bytes_, value);
  return *this;
}

SystemBus::~SystemBus() {
  if (fd_ >= 0) close(fd_);
}

std::string SystemBus::Connect(const std::string& address, int64_t deadlineNs) {
  sockaddr_un addr;
  socklen_t addrLen;
  if (!ParseUnixAddress(address, &addr, &addrLen)) return "unsupported bus address";
  fd_ = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC | SOCK_NONBLOCK, 0);
  if (fd_ < 0) return ErrnoName(errno);
  if (connect(fd_, reinterpret_cast<sockaddr*>(&addr), addrLen) != 0) {
    int err = errno;
    if (err == ENOENT || err == ECONNREFUSED) return "no system bus";
    if (err != EAGAIN && err != EINPROGRESS) return ErrnoName(err);
    pollfd pfd{fd_, POLLOUT, 0};
    if (poll(&pfd, 1, RemainingMs(deadlineNs)) <= 0) return "timed out";
    socklen_t len = sizeof err;
    if (getsockopt(fd_, SOL_SOCKET, SO_ERROR, &err, &len) != 0 || err != 0) return ErrnoName(err);
  }

  // SASL EXTERNAL: the bus checks the uid we claim against the socket's peer credentials.
  std::string auth = std::string(1, '\0') + "AUTH EXTERNAL " + HexOf(std::to_string(geteuid())) + "\r\n";
  std::string why;
  if (!SendAll(auth.data(), auth.size(), deadlineNs, &why)) return why;
  size_t lineEnd;
  while ((lineEnd = inbox_.find("\r\n")) == std::string::npos) {
    if (inbox_.size() > 4096) return "bus sent no authentication reply";
    if (!Fill(inbox_.size() + 1, deadlineNs, &why)) return why;
  }
  std::string line = inbox_.substr(0, lineEnd);
  inbox_.erase(0, lineEnd + 2);
  if (line.rfind("OK ", 0) != 0) return "bus refused authentication (" + line.substr(0, 60) + ")";
  static const char kBegin[] = "BEGIN\r\n";
  if (!SendAll(kBegin, sizeof kBegin - 1, deadlineNs, &why)) return why;

  DbusReply hello = Call("org.freedesktop.DBus", "/org/freedesktop/DBus", "org.freedesktop.DBus", "Hello", DbusArgs(),
                         deadlineNs);
  if (!hello.error.empty()) return hello.message.empty() ? hello.error : hello.message;
  return "";
}

DbusReply SystemBus::Call(const std::string& destination, const std::string& path, const std::string& interface,
                          const std::string& member, const DbusArgs& args, int64_t deadlineNs) {
  DbusReply reply;
  auto transportFailure = [&reply](const std::string& why) {
    reply.error = "transport";
    reply.message = why;
    return reply;
  };
  if (fd_ < 0) return transportFailure("not connected");

  const uint32_t serial = ++serial_;
  std::vector<uint8_t> message{static_cast<uint8_t>(HostIsLittleEndian() ? 'l' : 'B'), kMethodCall, 0, 1};
  PutFixed<uint32_t>(message, static_cast<uint32_t>(args.bytes().size()));
  PutFixed<uint32_t>(message, serial);
  const size_t fieldsLengthAt = message.size();
  PutFixed<uint32_t>(message, 0);
  Pad(message, 8);  // the array length excludes the padding before its first element
  const size_t fieldsStart = message.size();
  PutHeaderField(message, kFieldPath, 'o', path);
  PutHeaderField(message, kFieldInterface, 's', interface);
  PutHeaderField(message, kFieldMember, 's', member);
  PutHeaderField(message, kFieldDestination, 's', destination);
  if (!args.signature().empty()) PutHeaderField(message, kFieldSignature, 'g', args.signature());
  const auto fieldsLength = static_cast<uint32_t>(message.size() - fieldsStart);
  memcpy(message.data() + fieldsLengthAt, &fieldsLength, sizeof fieldsLength);
  Pad(message, 8);
  message.insert(message.end(), args.bytes().begin(), args.bytes().end());

  std::string why;
  if (!SendAll(message.data(), message.size(), deadlineNs, &why)) return transportFailure(why);

  // Read messages until our reply: the bus also sends signals (NameAcquired after Hello).
  for (;;) {
    if (!Fill(16, deadlineNs, &why)) return transportFailure(why);
    const auto* head = reinterpret_cast<const uint8_t*>(inbox_.data());
    if (head[0] != 'l' && head[0] != 'B') return transportFailure("malformed message from the bus");
    const bool bigEndian = head[0] == 'B';
    Reader fixed(head, 16, bigEndian);
    fixed.Seek(4);
    const uint64_t bodyLength = fixed.Unsigned(4);
    fixed.Unsigned(4);  // the sender's serial
    const uint64_t fieldsLen = fixed.Unsigned(4);
    const uint64_t headerLength = (16 + fieldsLen + 7) / 8 * 8;
    if (headerLength + bodyLength > kMaxMessageBytes) return transportFailure("oversized message from the bus");
    const size_t total = static_cast<size_t>(headerLength + bodyLength);
    if (!Fill(total, deadlineNs, &why)) return transportFailure(why);
    const auto* data = reinterpret_cast<const uint8_t*>(inbox_.data());
    const uint8_t type = data[1];

    Reader fields(data, static_cast<size_t>(16 + fieldsLen), bigEndian);
    fields.Seek(16);
    std::string errorName, signature;
    int64_t replySerial = -1;
    while (fields.ok() && fields.pos() < 16 + fieldsLen) {
      fields.Align(8);
      const auto code = static_cast<uint8_t>(fields.Unsigned(1));
      const std::string type = fields.Signature();
      int64_t integer = 0;
      std::string text;
      if (type.size() != 1 || !fields.Basic(type[0], &integer, &text)) {
        return transportFailure("unreadable header field from the bus");
      }
      if (code == kFieldErrorName) errorName = text;
      if (code == kFieldReplySerial) replySerial = integer;
      if (code == kFieldSignature) signature = text;
    }
    if (!fields.ok()) return transportFailure("malformed header from the bus");
    std::string body = inbox_.substr(static_cast<size_t>(headerLength), static_cast<size_t>(bodyLength));
    inbox_.erase(0, total);
    if ((type != kMethodReturn && type != kError) || replySerial != static_cast<int64_t>(serial)) continue;

    Reader values(reinterpret_cast<const uint8_t*>(body.data()), body.size(), bigEndian);
    if (type == kError) {
      reply.error = errorName.empty() ? "org.freedesktop.DBus.Error.Failed" : errorName;
      if (!signature.empty() && signature[0] == 's') reply.message = values.String();
      return reply;
    }
    char first = signature.empty() ? '\0' : signature[0];
    if (first == 'v') first = (values.Signature() + '\0')[0];  // a single-type variant: read through it
    std::string ignored;
    if (IsIntegerType(first) && values.Basic(first, &reply.integer, &ignored)) reply.hasInteger = true;
    return reply;
  }
}

bool SystemBus::SendAll(const void* data, size_t len, int64_t deadlineNs, std::string* why) {
  const auto* p = static_cast<const char*>(data);
  while (len > 0) {
    ssize_t n = send(fd_, p, len, MSG_NOSIGNAL);
    if (n > 0) {
      p += n;
      len -= static_cast<size_t>(n);
      continue;
    }
    if (n < 0 && errno == EINTR) continue;
    if (n < 0 && errno != EAGAIN) {
      *why = ErrnoName(errno);
      return false;
    }
    if (!AwaitReady(fd_, POLLOUT, deadlineNs, why)) return false;
  }
  return true;
}

bool SystemBus::Fill(size_t len, int64_t deadlineNs, std::string* why) {
  char chunk[4096];
  while (inbox_.size() < len) {
    ssize_t n = recv(fd_, chunk, sizeof chunk, 0);
    if (n > 0) {
      inbox_.append(chunk, static_cast<size_t>(n));
      continue;
    }
    if (n == 0) {
      *why = "bus closed the connection";
      return false;
    }
    if (errno == EINTR) continue;
    if (errno != EAGAIN) {
      *why = ErrnoName(errno);
      return false;
    }
    if (!AwaitReady(fd_, POLLIN, deadlineNs, why)) return false;
  }
  return true;
}

}  // namespace forkscope
