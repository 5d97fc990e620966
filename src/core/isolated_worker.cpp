#include "core/isolated_worker.hpp"

#include <fcntl.h>
#include <signal.h>
#include <spawn.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <chrono>
#include <cstdint>
#include <cstring>
#include <filesystem>

#include "core/error.hpp"
#include "core/worker_protocol.hpp"

namespace yq::core {

namespace {

constexpr int kWorkerSocket = 3;  // where the worker finds its end (core/worker_main.cpp)

[[noreturn]] void cannot_start(const std::string& executable, int error) {
    throw_unavailable("isolation.unavailable",
                      "cannot start the isolated parser " + executable + " (" + std::strerror(error) + ")");
}

// posix_spawn's file actions and attributes, released on every path.
struct SpawnSetup {
    posix_spawn_file_actions_t actions;
    posix_spawnattr_t attributes;
    SpawnSetup() {
        posix_spawn_file_actions_init(&actions);
        posix_spawnattr_init(&attributes);
    }
    ~SpawnSetup() {
        posix_spawn_file_actions_destroy(&actions);
        posix_spawnattr_destroy(&attributes);
    }
    SpawnSetup(const SpawnSetup&) = delete;
    SpawnSetup& operator=(const SpawnSetup&) = delete;
};

}  // namespace

std::string sibling_executable(const std::string& name) {
    std::error_code ec;
    std::filesystem::path self = std::filesystem::read_symlink("/proc/self/exe", ec);
    if (ec) throw_unavailable("isolation.unavailable", "cannot find the running executable");
    return (self.parent_path() / name).string();
}

IsolatedWorker::IsolatedWorker(WorkerCommand command, IsolationLimits limits, std::string limit_code, std::string what,
                               int max_jobs)
    : m_command(std::move(command)), m_limits(limits), m_limit_code(std::move(limit_code)), m_what(std::move(what)),
      m_max_jobs(std::max(max_jobs, 1)) {}

IsolatedWorker::~IsolatedWorker() { stop(false); }

void IsolatedWorker::spawn() {
    int fds[2];
    if (socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, fds) != 0) cannot_start(m_command.executable, errno);
    // The worker's end goes to descriptor 3; keep it clear of 0–3 so that dup2 copies it (and drops CLOEXEC).
    int theirs = fcntl(fds[1], F_DUPFD_CLOEXEC, 10);
    close(fds[1]);
    if (theirs < 0) {
        close(fds[0]);
        cannot_start(m_command.executable, errno);
    }
    SpawnSetup setup;
    posix_spawn_file_actions_addopen(&setup.actions, 0, "/dev/null", O_RDONLY, 0);
    posix_spawn_file_actions_addopen(&setup.actions, 1, "/dev/null", O_WRONLY, 0);
    posix_spawn_file_actions_addopen(&setup.actions, 2, "/dev/null", O_WRONLY, 0);
    posix_spawn_file_actions_adddup2(&setup.actions, theirs, kWorkerSocket);
    posix_spawn_file_actions_addclosefrom_np(&setup.actions, kWorkerSocket + 1);  // every other descriptor
    posix_spawn_file_actions_addchdir_np(&setup.actions, "/");                   // not the server's home
    sigset_t none, all;
    sigemptyset(&none);
    sigfillset(&all);
    posix_spawnattr_setsigmask(&setup.attributes, &none);
    posix_spawnattr_setsigdefault(&setup.attributes, &all);
    posix_spawnattr_setflags(&setup.attributes, POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF);

    std::string memory_mb = std::to_string(std::max<std::size_t>(m_limits.memory_bytes / (1024 * 1024), 1));
    std::string cpu_seconds = std::to_string(std::max(m_limits.cpu_seconds, 1));
    std::string memory_flag = "--memory-mb", cpu_flag = "--cpu-seconds";
    char* argv[] = {m_command.executable.data(), memory_flag.data(), memory_mb.data(), cpu_flag.data(),
                    cpu_seconds.data(), nullptr};
    char* envp[] = {nullptr};  // nothing of the server's environment
    pid_t pid = -1;
    int rc = posix_spawn(&pid, m_command.executable.c_str(), &setup.actions, &setup.attributes, argv, envp);
    close(theirs);
    if (rc != 0) {
        close(fds[0]);
        cannot_start(m_command.executable, rc);
    }
    m_pid = pid;
    m_socket = fds[0];
    m_jobs = 0;
}

int IsolatedWorker::stop(bool kill_child) {
    if (m_pid <= 0) return 0;
    if (kill_child) kill(m_pid, SIGKILL);  // a worker that has already died keeps the status it died with
    close(m_socket);  // a healthy worker reads EOF and exits
    int status = 0;
    while (waitpid(m_pid, &status, 0) < 0 && errno == EINTR) {
    }
    m_pid = -1;
    m_socket = -1;
    return status;
}

void IsolatedWorker::fail() {
    // A process the seccomp filter kills ends with SIGSYS (seccomp(2), SECCOMP_RET_KILL_PROCESS).
    int status = stop(true);
    if (WIFSIGNALED(status) && WTERMSIG(status) == SIGSYS)
        throw Error("isolation.forbidden_call", 422,
                    m_what + " made its parser attempt an operation the sandbox forbids; the parser was stopped and "
                             "nothing from the file was used");
    throw Error(m_limit_code, 422,
                m_what + " could not be processed within the limits (" + std::to_string(m_limits.memory_bytes / (1024 * 1024)) +
                    " MB, " + std::to_string(m_limits.wall_seconds) + " s) or made the parser fail");
}

void IsolatedWorker::retire_after_quota() {
    if (++m_jobs >= m_max_jobs) stop(false);
}

std::string IsolatedWorker::run(std::string_view job, const std::string& input) {
    if (m_pid <= 0) spawn();
    WorkerDeadline deadline = std::chrono::steady_clock::now() + std::chrono::seconds(m_limits.wall_seconds);
    std::string reply;
    if (!send_frame(m_socket, job) || !send_frame(m_socket, input) ||
        !receive_frame(m_socket, reply, &deadline, UINT64_MAX)) {
        // A dead worker's socket closes before the kernel has reaped it; give it a moment to say how it ended.
        for (int i = 0; i < 50 && m_pid > 0; ++i) {
            siginfo_t info{};
            if (waitid(P_PID, static_cast<id_t>(m_pid), &info, WEXITED | WNOHANG | WNOWAIT) == 0 && info.si_pid != 0)
                break;
            usleep(1000);
        }
        fail();
    }
    std::string result;
    bool well_formed = false;
    try {
        well_formed = decode_reply(reply, result);
    } catch (const Error&) {
        retire_after_quota();
        throw;  // the job's own error: the worker is healthy
    }
    if (!well_formed) fail();
    retire_after_quota();
    return result;
}

IsolatedWorkerPool::IsolatedWorkerPool(WorkerCommand command, IsolationLimits limits, std::string limit_code,
                                       std::string what, int workers, int max_jobs_per_worker)
    : m_command(command), m_limits(limits) {
    for (int i = 0; i < std::max(workers, 1); ++i)
        m_workers.push_back(std::make_unique<IsolatedWorker>(command, limits, limit_code, what, max_jobs_per_worker));
}

std::vector<int> IsolatedWorkerPool::pids() {
    std::vector<int> out;
    for (auto& w : m_workers) {
        std::lock_guard lock(w->mutex());
        if (w->pid() > 0) out.push_back(w->pid());
    }
    return out;
}

std::string IsolatedWorkerPool::run(std::string_view job, const std::string& input) {
    if (!m_limits.enabled) return m_command.in_process(job, input);
    for (auto& w : m_workers) {  // a free worker if there is one
        std::unique_lock lock(w->mutex(), std::try_to_lock);
        if (lock.owns_lock()) return w->run(job, input);
    }
    IsolatedWorker* chosen;
    {
        std::lock_guard pick(m_pick);
        chosen = m_workers[m_next++ % m_workers.size()].get();
    }
    std::lock_guard lock(chosen->mutex());
    return chosen->run(job, input);
}

}  // namespace yq::core
