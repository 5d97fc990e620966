#pragma once
// Limits for work on untrusted input (e.g. parsing a PDF with PoDoFo), which runs in an isolated worker process
// (core/isolated_worker.hpp): a memory limit (RLIMIT_AS), a CPU-time limit per job (RLIMIT_CPU) and a wall-clock
// limit the server enforces, so a hostile file can neither crash nor exhaust the server.
#include <cstddef>

namespace yq::core {

struct IsolationLimits {
    bool enabled = true;  // false: the work runs in the calling thread (fuzzing, the benchmarks' anchor)
    std::size_t memory_bytes = 1024ull * 1024 * 1024;  // on top of what the worker has at start
    int cpu_seconds = 20;
    int wall_seconds = 30;
};

// In the worker: caps the address space at what it has plus `limits.memory_bytes` (not under AddressSanitizer, whose
// shadow memory needs an unlimited one) and turns core dumps off.
void cap_child_memory(const IsolationLimits& limits);

}  // namespace yq::core
