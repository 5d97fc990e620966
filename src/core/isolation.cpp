#include "core/isolation.hpp"

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <chrono>
#include <cstdio>
#include <cstring>

#include "core/error.hpp"

#if defined(__has_feature)
#if __has_feature(address_sanitizer)
#define YQ_ASAN 1
#endif
#endif

namespace yq::core {

namespace {

// Child → parent message: one status byte, then for 'E' "code\0status\0message", for 'O' the result.
void write_all(int fd, const char* data, std::size_t size) {
    while (size > 0) {
        ssize_t n = ::write(fd, data, size);
        if (n <= 0) _exit(3);
        data += n;
        size -= static_cast<std::size_t>(n);
    }
}

// The address space this process already has (the child starts as a copy of the server: thread stacks and malloc
// arenas count as virtual memory).
[[maybe_unused]] std::size_t current_address_space() {
    std::size_t pages = 0;
    if (FILE* f = std::fopen("/proc/self/statm", "r")) {
        if (std::fscanf(f, "%zu", &pages) != 1) pages = 0;
        std::fclose(f);
    }
    return pages * static_cast<std::size_t>(sysconf(_SC_PAGESIZE));
}

[[noreturn]] void child(int fd, const std::function<std::string()>& work, const IsolationLimits& limits) {
    cap_child_memory(limits);
    rlimit cpu{static_cast<rlim_t>(limits.cpu_seconds), static_cast<rlim_t>(limits.cpu_seconds) + 1};
    setrlimit(RLIMIT_CPU, &cpu);
    std::string message;
    try {
        message = "O" + work();
    } catch (const Error& e) {
        message = std::string("E") + e.code() + '\0' + std::to_string(e.http_status()) + '\0' + e.what();
    } catch (const std::bad_alloc&) {
        _exit(4);
    } catch (...) {
        _exit(5);
    }
    write_all(fd, message.data(), message.size());
    _exit(0);  // no atexit handlers, no stdio flushing of the parent's buffers
}

}  // namespace

void cap_child_memory([[maybe_unused]] const IsolationLimits& limits) {
#if !defined(__SANITIZE_ADDRESS__) && !defined(YQ_ASAN)
    // The work may use `memory_bytes` more than the child has at the start.
    std::size_t cap = current_address_space() + limits.memory_bytes;
    rlimit mem{cap, cap};
    setrlimit(RLIMIT_AS, &mem);
#endif
    rlimit core_dump{0, 0};
    setrlimit(RLIMIT_CORE, &core_dump);
}

ForkedChild fork_child(bool socket, const std::function<void(int fd)>& body) {
    int fds[2];
    int made = socket ? socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, fds) : pipe2(fds, O_CLOEXEC);
    if (made != 0) throw_unavailable("isolation.unavailable", "cannot start an isolated worker");
    // a pipe: the child writes (fds[1]) and the parent reads (fds[0]); a socket pair: either end, the same way
    pid_t pid = fork();
    if (pid < 0) {
        close(fds[0]);
        close(fds[1]);
        throw_unavailable("isolation.unavailable", "cannot start an isolated worker");
    }
    if (pid == 0) {
        close(fds[0]);
        body(fds[1]);
        _exit(0);  // `body` does not return; never run the parent's code in the child
    }
    close(fds[1]);
    return ForkedChild{pid, fds[0]};
}

std::string run_isolated(const std::function<std::string()>& work, const IsolationLimits& limits,
                         const std::string& limit_code, const std::string& what) {
    if (!limits.enabled) return work();
    ForkedChild forked = fork_child(false, [&](int fd) { child(fd, work, limits); });
    const pid_t pid = forked.pid;
    const int fd = forked.fd;
    // Read while the child writes (a large result must not block it on a full pipe), until EOF or the deadline.
    std::string out;
    char buf[65536];
    auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(limits.wall_seconds);
    bool timed_out = false;
    for (;;) {
        auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - std::chrono::steady_clock::now());
        if (left.count() <= 0) {
            timed_out = true;
            break;
        }
        pollfd p{fd, POLLIN, 0};
        int r = poll(&p, 1, static_cast<int>(left.count()));
        if (r < 0 && errno == EINTR) continue;
        if (r <= 0) {
            timed_out = r == 0;
            break;
        }
        ssize_t n = read(fd, buf, sizeof buf);
        if (n < 0 && errno == EINTR) continue;
        if (n <= 0) break;
        out.append(buf, static_cast<std::size_t>(n));
    }
    close(fd);
    if (timed_out) kill(pid, SIGKILL);
    int status = 0;
    while (waitpid(pid, &status, 0) < 0 && errno == EINTR) {
    }
    bool clean = !timed_out && WIFEXITED(status) && WEXITSTATUS(status) == 0 && !out.empty();
    if (!clean)
        throw Error(limit_code, 422,
                    what + " could not be processed within the limits (" +
                        std::to_string(limits.memory_bytes / (1024 * 1024)) + " MB, " +
                        std::to_string(limits.wall_seconds) + " s) or made the parser fail");
    if (out[0] == 'O') return out.substr(1);
    // 'E': an Error from the work
    std::size_t a = out.find('\0', 1), b = a == std::string::npos ? a : out.find('\0', a + 1);
    if (b == std::string::npos) throw Error(limit_code, 422, what + " made the parser fail");
    throw Error(out.substr(1, a - 1), std::stoi(out.substr(a + 1, b - a - 1)), out.substr(b + 1));
}

}  // namespace yq::core
