#pragma once
// Runs work on untrusted input (e.g. parsing a PDF with PoDoFo) in a forked child process under a memory limit
// (RLIMIT_AS), a CPU-time limit (RLIMIT_CPU) and a wall-clock limit, so a hostile file can neither crash nor exhaust
// the server. The child must not touch the HSM or the database; it returns bytes.
// Error style: a yq::Error thrown by the work comes back with the same code, status and message; a child that is
// killed (limit, crash) gives 422 `limit_code`.
#include <cstddef>
#include <functional>
#include <string>

namespace yq::core {

struct IsolationLimits {
    bool enabled = true;
    std::size_t memory_bytes = 1024ull * 1024 * 1024;  // on top of what the process already has
    int cpu_seconds = 20;
    int wall_seconds = 30;
};

// In a forked child: caps the address space at what it has plus `limits.memory_bytes` (not under AddressSanitizer,
// whose shadow memory needs an unlimited one) and turns core dumps off. Used by run_isolated and IsolatedWorker.
void cap_child_memory(const IsolationLimits& limits);

// Forks a child that runs `body` with its end of a new channel (a socket pair when `socket`, else a pipe the child
// writes) and never returns; the parent gets the child's pid and its own end. Throws 503 "isolation.unavailable".
struct ForkedChild {
    int pid = -1;
    int fd = -1;
};
ForkedChild fork_child(bool socket, const std::function<void(int fd)>& body);

std::string run_isolated(const std::function<std::string()>& work, const IsolationLimits& limits,
                         const std::string& limit_code, const std::string& what);

}  // namespace yq::core
