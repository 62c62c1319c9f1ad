#include "ndjson_renderer.h"

#include "utf8.h"

#include <charconv>
#include <cstring>
#include <string_view>

namespace forkscope {

namespace {

// Same order as EVENT_KINDS in electron/common/events.ts (and EventKind).
constexpr const char* kKindNames[] = {"fork", "exec",      "exit", "thread-start", "thread-exit", "comm",
                                      "uid",  "gid",       "sid",  "ptrace",       "coredump",    "lost"};

class LineWriter {
 public:
  explicit LineWriter(std::vector<char>* out) : out_(out) {}

  void Raw(std::string_view text) { out_->insert(out_->end(), text.begin(), text.end()); }

  template <typename Int>
  void Integer(Int value) {
    char buf[24];
    auto result = std::to_chars(buf, buf + sizeof buf, value);
    out_->insert(out_->end(), buf, result.ptr);
  }

  // JS prints a number with the fewest digits that read back to it, in fixed notation for the
  // magnitudes here (epoch ms, clock ticks); to_chars(fixed) without a precision does the same.
  void Number(double value) {
    char buf[64];
    auto result = std::to_chars(buf, buf + sizeof buf, value, std::chars_format::fixed);
    out_->insert(out_->end(), buf, result.ptr);
  }

  // A JSON string of `len` bytes decoded like Buffer.toString('utf8'): each maximal ill-formed
  // subpart (Unicode §3.9, what V8 and the WHATWG decoder do) becomes one U+FFFD. Escapes as
  // JSON.stringify does: \" \\ \b \f \n \r \t, other controls as lowercase \u00xx.
  void String(const char* data, size_t len) {
    out_->push_back('"');
    StringBody(data, len);
    out_->push_back('"');
  }

  void StringBody(const char* data, size_t len) {
    const auto* s = reinterpret_cast<const unsigned char*>(data);
    size_t i = 0;
    while (i < len) {
      unsigned char c = s[i];
      if (c < 0x80) {
        Ascii(c);
        ++i;
        continue;
      }
      bool wellFormed = false;
      size_t n = Utf8SequenceAt(s + i, len - i, &wellFormed);
      if (wellFormed) out_->insert(out_->end(), data + i, data + i + n);
      else Raw("\xEF\xBF\xBD");  // U+FFFD
      i += n;
    }
  }

 private:
  void Ascii(unsigned char c) {
    switch (c) {
      case '"': Raw("\\\""); return;
      case '\\': Raw("\\\\"); return;
      case '\b': Raw("\\b"); return;
      case '\f': Raw("\\f"); return;
      case '\n': Raw("\\n"); return;
      case '\r': Raw("\\r"); return;
      case '\t': Raw("\\t"); return;
      default: break;
    }
    if (c < 0x20) {
      static const char kHex[] = "0123456789abcdef";
      char esc[6] = {'\\', 'u', '0', '0', kHex[c >> 4], kHex[c & 15]};
      out_->insert(out_->end(), esc, esc + 6);
      return;
    }
    out_->push_back(static_cast<char>(c));
  }

  std::vector<char>* out_;
};

}  // namespace

void NdjsonRenderer::Render(const EventBatch& batch, std::vector<char>* out, std::vector<uint32_t>* lineEnd) const {
  LineWriter w(out);
  const char* strings = batch.strings.data();
  for (size_t i = 0; i < batch.size(); ++i) {
    auto kind = static_cast<EventKind>(batch.kind[i]);
    if (kind == EventKind::kLost || batch.kind[i] >= sizeof kKindNames / sizeof kKindNames[0]) {
      lineEnd->push_back(static_cast<uint32_t>(out->size()));
      continue;
    }
    const int32_t pid = batch.pid[i], tid = batch.tid[i], ppid = batch.ppid[i];
    w.Raw("{\"kind\":\"");
    w.Raw(kKindNames[batch.kind[i]]);
    w.Raw("\",\"ts\":");
    w.Number(batch.ts[i]);
    w.Raw(",\"pid\":");
    w.Integer(pid);
    if (kind == EventKind::kThreadStart || kind == EventKind::kThreadExit || tid != pid) {
      w.Raw(",\"tid\":");
      w.Integer(tid);
    }
    if (ppid > 0 || (ppid == 0 && kind != EventKind::kThreadExit)) {
      w.Raw(",\"ppid\":");
      w.Integer(ppid);
    }
    if (batch.startTime[i] >= 0) {
      w.Raw(",\"startTime\":");
      w.Number(batch.startTime[i]);
    }
    if (batch.commOff[i] >= 0) {
      w.Raw(",\"comm\":");
      w.String(strings + batch.commOff[i], static_cast<size_t>(batch.commLen[i]));
    }
    switch (kind) {
      case EventKind::kExec:
        if (batch.argvOff[i] >= 0) {
          // decodeArgv: one trailing NUL ends the last argument; every other NUL separates two.
          const char* argv = strings + batch.argvOff[i];
          size_t len = static_cast<size_t>(batch.argvLen[i]);
          if (len > 0 && argv[len - 1] == '\0') --len;
          w.Raw(",\"argv\":[");
          size_t start = 0;
          for (;;) {
            const void* nul = memchr(argv + start, '\0', len - start);
            size_t end = nul ? static_cast<size_t>(static_cast<const char*>(nul) - argv) : len;
            w.String(argv + start, end - start);
            if (!nul) break;
            w.Raw(",");
            start = end + 1;
          }
          w.Raw("]");
          if (batch.flags[i] & kArgvLossy) w.Raw(",\"argvLossy\":true");
          if (batch.flags[i] & kArgvTruncated) w.Raw(",\"argvTruncated\":true");
        }
        if (batch.exeOff[i] >= 0) {
          w.Raw(",\"exe\":");
          w.String(strings + batch.exeOff[i], static_cast<size_t>(batch.exeLen[i]));
        }
        break;
      case EventKind::kExit:
      case EventKind::kThreadExit: {
        // decodeWaitStatus
        const int32_t waitStatus = batch.kindValue1[i];
        int low = waitStatus & 0x7f;
        if (low == 0) {
          w.Raw(",\"code\":");
          w.Integer((waitStatus >> 8) & 0xff);
        } else {
          w.Raw(",\"signal\":");
          std::string_view name = static_cast<size_t>(low) < signalNames_.size() ? signalNames_[low] : std::string_view();
          w.String(name.data(), name.size());
          w.Raw(",\"signo\":");
          w.Integer(low);
          if (waitStatus & 0x80) w.Raw(",\"core\":true");
        }
        w.Raw(",\"exitSignal\":");
        w.Integer(batch.kindValue2[i]);
        break;
      }
      case EventKind::kUid:
      case EventKind::kGid:
        w.Raw(kind == EventKind::kUid ? ",\"ruid\":" : ",\"rgid\":");
        w.Integer(static_cast<uint32_t>(batch.kindValue1[i]));
        w.Raw(kind == EventKind::kUid ? ",\"euid\":" : ",\"egid\":");
        w.Integer(static_cast<uint32_t>(batch.kindValue2[i]));
        break;
      case EventKind::kPtrace:
        w.Raw(",\"tracer\":");
        w.Integer(batch.kindValue1[i]);
        break;
      default:
        break;
    }
    if (batch.cpu[i] >= 0) {
      w.Raw(",\"cpu\":");
      w.Integer(batch.cpu[i]);
    }
    w.Raw("}\n");
    lineEnd->push_back(static_cast<uint32_t>(out->size()));
  }
}

}  // namespace forkscope
