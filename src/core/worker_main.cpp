#include "core/worker_main.hpp"

#include <sys/resource.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <new>

#include "core/error.hpp"
#include "core/isolation.hpp"
#include "core/sandbox.hpp"
#include "core/worker_protocol.hpp"

namespace yq::core {

namespace {

constexpr int kSocket = 3;

// Exit codes the server may see (it reports any of them as the parser failing): 2 misuse, 3 socket lost, 4 out of
// memory, 5 an unexpected exception, 6 the sandbox could not be entered.
bool parse_limits(int argc, char** argv, IsolationLimits& limits) {
    for (int i = 1; i + 1 < argc; i += 2) {
        std::string name = argv[i];
        char* end = nullptr;
        long value = std::strtol(argv[i + 1], &end, 10);
        if (!end || *end || value <= 0) return false;
        if (name == "--memory-mb") limits.memory_bytes = static_cast<std::size_t>(value) * 1024 * 1024;
        else if (name == "--cpu-seconds") limits.cpu_seconds = static_cast<int>(value);
        else return false;
    }
    return argc % 2 == 1;
}

bool started_by_the_server() {
    struct stat st {};
    return fstat(kSocket, &st) == 0 && S_ISSOCK(st.st_mode);
}

}  // namespace

int serve_worker(int argc, char** argv, const WorkerJobs& jobs) {
    IsolationLimits limits;
    if (!parse_limits(argc, argv, limits) || !started_by_the_server()) {
        std::fprintf(stderr,
                     "%s parses untrusted documents for the yunqian server, which starts it with a socket on "
                     "descriptor 3; it is not run by hand.\n",
                     argc > 0 ? argv[0] : "worker");
        return 2;
    }
    cap_child_memory(limits);
    try {
        enter_sandbox();
    } catch (const Error&) {
        _exit(6);  // fail closed: never parse outside the sandbox
    }
    for (std::string job, input;;) {
        if (!receive_frame(kSocket, job, nullptr, 256) || !receive_frame(kSocket, input, nullptr, UINT64_MAX))
            _exit(0);  // the server closed its end: done
        // this job's CPU budget on top of what the worker has used so far (SIGXCPU ends the worker)
        rusage used{};
        getrusage(RUSAGE_SELF, &used);
        rlimit cpu{static_cast<rlim_t>(used.ru_utime.tv_sec + used.ru_stime.tv_sec + limits.cpu_seconds + 1),
                   RLIM_INFINITY};
        setrlimit(RLIMIT_CPU, &cpu);
        std::string reply;
        try {
            reply = ok_reply(jobs(job, input));
        } catch (const Error& e) {
            reply = error_reply(e.code(), e.http_status(), e.what());
        } catch (const std::bad_alloc&) {
            _exit(4);
        } catch (...) {
            _exit(5);
        }
        if (!send_frame(kSocket, reply)) _exit(3);
    }
}

}  // namespace yq::core
