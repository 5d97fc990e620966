#pragma once
// Long-lived isolated workers: like run_isolated (core/isolation.hpp), the untrusted input is parsed in a forked child
// under an address-space cap, a CPU-time budget per job and a wall-clock deadline — but the child stays up and takes
// the next job over a socket, so a busy validator does not pay a fork (page tables, copy-on-write faults) per file.
// A child that crashes, overruns a limit or has served `max_jobs` jobs (parsers may leak) is replaced by a fresh one.
// Error style: the work's yq::Error comes back as it was thrown; a crash or limit is 422 `limit_code`.
#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "core/isolation.hpp"

namespace yq::core {

using IsolatedJob = std::function<std::string(const std::string& input)>;

class IsolatedWorker {
public:
    IsolatedWorker(IsolatedJob job, IsolationLimits limits, std::string limit_code, std::string what, int max_jobs);
    ~IsolatedWorker();
    IsolatedWorker(const IsolatedWorker&) = delete;
    IsolatedWorker& operator=(const IsolatedWorker&) = delete;

    // One job at a time: callers hold `mutex()`.
    std::string run(const std::string& input);
    // Forks the child now if there is none (callers hold `mutex()`).
    void ensure_started();
    std::mutex& mutex() { return m_mutex; }

private:
    void spawn();
    void stop(bool kill_child);
    [[noreturn]] void fail();

    IsolatedJob m_job;
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
    IsolatedWorkerPool(IsolatedJob job, IsolationLimits limits, std::string limit_code, std::string what,
                       int workers = 2, int max_jobs_per_worker = 100);
    std::string run(const std::string& input);
    // Forks every worker now: at start-up, while the process has few threads, rather than in the middle of a request
    // when another thread may hold an allocator lock the child would inherit locked (glibc's malloc guards its own
    // locks across fork; AddressSanitizer's allocator does not, and a child forked beside a busy thread hung).
    void start();

private:
    IsolatedJob m_job;
    IsolationLimits m_limits;
    std::vector<std::unique_ptr<IsolatedWorker>> m_workers;
    std::mutex m_pick;
    std::size_t m_next = 0;
};

}  // namespace yq::core
