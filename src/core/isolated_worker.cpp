#include "core/isolated_worker.hpp"

#include <poll.h>
#include <signal.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <chrono>
#include <cstdint>

#include "core/error.hpp"

namespace yq::core {

namespace {

using Deadline = std::chrono::steady_clock::time_point;

// Frames in both directions: 8-byte little-endian length, then the bytes. Replies start with 'O' (result follows) or
// 'E' ("code\0status\0message").
bool send_all(int fd, const char* data, std::size_t size) {
    while (size > 0) {
        ssize_t n = ::send(fd, data, size, MSG_NOSIGNAL);
        if (n < 0 && errno == EINTR) continue;
        if (n <= 0) return false;
        data += n;
        size -= static_cast<std::size_t>(n);
    }
    return true;
}

bool send_frame(int fd, const std::string& body) {
    std::uint64_t n = body.size();
    char header[8];
    for (int i = 0; i < 8; ++i) header[i] = static_cast<char>((n >> (8 * i)) & 0xff);
    return send_all(fd, header, 8) && send_all(fd, body.data(), body.size());
}

// Reads exactly `size` bytes, waiting no later than `deadline` (none: wait as long as it takes).
bool receive_all(int fd, char* data, std::size_t size, const Deadline* deadline) {
    while (size > 0) {
        if (deadline) {
            auto left = std::chrono::duration_cast<std::chrono::milliseconds>(*deadline - std::chrono::steady_clock::now());
            if (left.count() <= 0) return false;
            pollfd p{fd, POLLIN, 0};
            int r = poll(&p, 1, static_cast<int>(left.count()));
            if (r < 0 && errno == EINTR) continue;
            if (r <= 0) return false;
        }
        ssize_t n = ::recv(fd, data, size, 0);
        if (n < 0 && errno == EINTR) continue;
        if (n <= 0) return false;
        data += n;
        size -= static_cast<std::size_t>(n);
    }
    return true;
}

bool receive_frame(int fd, std::string& body, const Deadline* deadline, std::uint64_t max_size) {
    unsigned char header[8];
    if (!receive_all(fd, reinterpret_cast<char*>(header), 8, deadline)) return false;
    std::uint64_t n = 0;
    for (int i = 7; i >= 0; --i) n = (n << 8) | header[i];
    if (n > max_size) return false;
    body.resize(n);
    return receive_all(fd, body.data(), n, deadline);
}

[[noreturn]] void serve_jobs(int fd, const IsolatedJob& job, const IsolationLimits& limits) {
    // No PR_SET_PDEATHSIG: it fires when the *thread* that forked ends. When the server process ends, the kernel
    // closes its end of the socket and the read below returns EOF.
    if (fd > 3) close_range(3, static_cast<unsigned>(fd) - 1, 0);  // nothing of the server's: sockets, database files
    close_range(static_cast<unsigned>(fd) + 1, ~0U, 0);
    cap_child_memory(limits);
    for (std::string input;;) {
        if (!receive_frame(fd, input, nullptr, UINT64_MAX)) _exit(0);  // the server closed: done
        // this job's CPU budget on top of what the worker has used so far (SIGXCPU ends the worker)
        rusage used{};
        getrusage(RUSAGE_SELF, &used);
        rlimit cpu{static_cast<rlim_t>(used.ru_utime.tv_sec + used.ru_stime.tv_sec + limits.cpu_seconds + 1), RLIM_INFINITY};
        setrlimit(RLIMIT_CPU, &cpu);
        std::string reply;
        try {
            reply = "O" + job(input);
        } catch (const Error& e) {
            reply = std::string("E") + e.code() + '\0' + std::to_string(e.http_status()) + '\0' + e.what();
        } catch (const std::bad_alloc&) {
            _exit(4);
        } catch (...) {
            _exit(5);
        }
        if (!send_frame(fd, reply)) _exit(3);
    }
}

}  // namespace

IsolatedWorker::IsolatedWorker(IsolatedJob job, IsolationLimits limits, std::string limit_code, std::string what, int max_jobs)
    : m_job(std::move(job)), m_limits(limits), m_limit_code(std::move(limit_code)), m_what(std::move(what)),
      m_max_jobs(std::max(max_jobs, 1)) {}

IsolatedWorker::~IsolatedWorker() { stop(false); }

void IsolatedWorker::spawn() {
    ForkedChild forked = fork_child(true, [this](int fd) { serve_jobs(fd, m_job, m_limits); });
    m_pid = forked.pid;
    m_socket = forked.fd;
    m_jobs = 0;
}

void IsolatedWorker::stop(bool kill_child) {
    if (m_pid <= 0) return;
    if (kill_child) kill(m_pid, SIGKILL);
    close(m_socket);  // a healthy worker reads EOF and exits
    int status = 0;
    while (waitpid(m_pid, &status, 0) < 0 && errno == EINTR) {
    }
    m_pid = -1;
    m_socket = -1;
}

void IsolatedWorker::fail() {
    stop(true);
    throw Error(m_limit_code, 422,
                m_what + " could not be processed within the limits (" + std::to_string(m_limits.memory_bytes / (1024 * 1024)) +
                    " MB, " + std::to_string(m_limits.wall_seconds) + " s) or made the parser fail");
}

void IsolatedWorker::ensure_started() {
    if (m_pid <= 0) spawn();
}

std::string IsolatedWorker::run(const std::string& input) {
    if (m_pid <= 0) spawn();
    Deadline deadline = std::chrono::steady_clock::now() + std::chrono::seconds(m_limits.wall_seconds);
    std::string reply;
    if (!send_frame(m_socket, input) || !receive_frame(m_socket, reply, &deadline, UINT64_MAX) || reply.empty()) fail();
    if (++m_jobs >= m_max_jobs) stop(false);
    if (reply[0] == 'O') return reply.substr(1);
    std::size_t a = reply.find('\0', 1), b = a == std::string::npos ? a : reply.find('\0', a + 1);
    if (b == std::string::npos) fail();
    throw Error(reply.substr(1, a - 1), std::stoi(reply.substr(a + 1, b - a - 1)), reply.substr(b + 1));
}

IsolatedWorkerPool::IsolatedWorkerPool(IsolatedJob job, IsolationLimits limits, std::string limit_code, std::string what,
                                       int workers, int max_jobs_per_worker)
    : m_job(job), m_limits(limits) {
    for (int i = 0; i < std::max(workers, 1); ++i)
        m_workers.push_back(std::make_unique<IsolatedWorker>(job, limits, limit_code, what, max_jobs_per_worker));
}

void IsolatedWorkerPool::start() {
    if (!m_limits.enabled) return;
    for (auto& w : m_workers) {
        std::lock_guard lock(w->mutex());
        w->ensure_started();
    }
}

std::string IsolatedWorkerPool::run(const std::string& input) {
    if (!m_limits.enabled) return m_job(input);
    for (auto& w : m_workers) {  // a free worker if there is one
        std::unique_lock lock(w->mutex(), std::try_to_lock);
        if (lock.owns_lock()) return w->run(input);
    }
    IsolatedWorker* chosen;
    {
        std::lock_guard pick(m_pick);
        chosen = m_workers[m_next++ % m_workers.size()].get();
    }
    std::lock_guard lock(chosen->mutex());
    return chosen->run(input);
}

}  // namespace yq::core
