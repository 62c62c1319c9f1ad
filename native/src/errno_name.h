// errno → its symbolic name ("EPERM"), the form errors take across the N-API boundary.
#pragma once

#include <string>

namespace forkscope {

// The symbolic name of an errno value, or "E<number>" for one without a known name.
std::string ErrnoName(int err);

}  // namespace forkscope
