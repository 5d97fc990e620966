#pragma once
// What a debugger or a core dump would see of another process: for tests that look for secrets in memory.
#include <cstddef>
#include <string>

namespace yq::test {

// Every occurrence of `needle` in the readable memory of process `pid` (/proc/PID/maps and /proc/PID/mem).
// Throws std::runtime_error when the memory cannot be opened.
std::size_t occurrences_in_memory(int pid, const std::string& needle);

}  // namespace yq::test
