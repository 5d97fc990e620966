#pragma once
// Isolated workers for untrusted input (#14 "Parsing untrusted PDFs"): the parser runs in a separate executable,
// started with posix_spawn (exec, never a fork of the server: nothing of the server's memory — HSM PIN, passwords,
// keys — is in it), with only its socket on descriptor 3, /dev/null on 0–2, an empty environment and "/" as working
// directory. The executable caps its memory and enters the sandbox (core/sandbox.hpp) before it reads any input, and
// serves named jobs (core/worker_main.hpp) until the server closes the socket, so a busy validator does not pay a
// process start per file. The server enforces a wall-clock deadline per job; a worker that crashes, overruns a limit,
// is killed by the sandbox or has served `max_jobs` jobs (parsers may leak) is replaced by a fresh one.
// Error style: the job's yq::Error comes back as it was thrown; a crash or limit is 422 `limit_code`; a system call
// the sandbox forbids is 422 "isolation.forbidden_call"; a worker that cannot be started is 503 "isolation.unavailable".
#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>
#include <vector>

#include "core/isolation.hpp"

namespace yq::core {

struct WorkerCommand {
    std::string executable;  // absolute path of the worker executable
    // The same jobs in the calling thread, used only when isolation is disabled (fuzzing, the bench's anchor).
    std::function<std::string(std::string_view job, const std::string& input)> in_process;
};

// `name` in the directory of the running executable (the server's and the tests' workers are built beside them).
std::string sibling_executable(const std::string& name);

class IsolatedWorker {
public:
    IsolatedWorker(WorkerCommand command, IsolationLimits limits, std::string limit_code, std::string what, int max_jobs);
    ~IsolatedWorker();
    IsolatedWorker(const IsolatedWorker&) = delete;
    IsolatedWorker& operator=(const IsolatedWorker&) = delete;

    // One job at a time: callers hold `mutex()`.
    std::string run(std::string_view job, const std::string& input);
    // The running worker's process id, -1 when none (callers hold `mutex()`): for monitoring and the sandbox tests.
    int pid() const { return m_pid; }
    std::mutex& mutex() { return m_mutex; }

private:
    void spawn();
    int stop(bool kill_child);  // the wait status of the worker (0 when none was running)
    void retire_after_quota();
    [[noreturn]] void fail();

    WorkerCommand m_command;
    IsolationLimits m_limits;
    std::string m_limit_code, m_what;
    int m_max_jobs;
    std::mutex m_mutex;
    int m_pid = -1;
    int m_socket = -1;
    int m_jobs = 0;
};

// A few workers for concurrent callers; with isolation disabled the job runs in the calling thread.
class IsolatedWorkerPool {
public:
    IsolatedWorkerPool(WorkerCommand command, IsolationLimits limits, std::string limit_code, std::string what,
                       int workers = 2, int max_jobs_per_worker = 100);
    std::string run(std::string_view job, const std::string& input);
    // The process ids of the running workers.
    std::vector<int> pids();

private:
    WorkerCommand m_command;
    IsolationLimits m_limits;
    std::vector<std::unique_ptr<IsolatedWorker>> m_workers;
    std::mutex m_pick;
    std::size_t m_next = 0;
};

}  // namespace yq::core
