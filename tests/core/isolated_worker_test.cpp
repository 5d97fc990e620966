// Long-lived isolated workers: one child serves many jobs; a crash, a runaway or a memory hog is an error for that job
// only, and the next job gets a fresh child; a worker is replaced after its job quota.
#include <gtest/gtest.h>
#include <unistd.h>

#include <csignal>
#include <vector>

#include "core/error.hpp"
#include "core/isolated_worker.hpp"
#include "support/fixtures.hpp"

using namespace yq;

namespace {

core::IsolationLimits limits(int seconds = 5) {
    core::IsolationLimits l;
    l.memory_bytes = 256ull * 1024 * 1024;
    l.cpu_seconds = seconds;
    l.wall_seconds = seconds;
    return l;
}

// Input "pid" answers with the worker's process id; "crash", "loop", "hog", "error" misbehave; anything else echoes.
std::string job(const std::string& input) {
    if (input == "pid") return std::to_string(getpid());
    if (input == "crash") std::raise(SIGSEGV);
    if (input == "loop") {
        volatile bool forever = true;
        while (forever) {
        }
    }
    if (input == "hog") {
        std::vector<std::vector<char>> hog;
        for (int i = 0; i < 64; ++i) hog.emplace_back(64 * 1024 * 1024, 'x');
        return std::to_string(hog.size());
    }
    if (input == "error") throw_conflict("pades.field_signed", "already signed");
    return "echo:" + input;
}

}  // namespace

TEST(IsolatedWorkerTest, OneChildServesManyJobsAndErrorsComeBackAsThrown) {
    core::IsolatedWorkerPool pool(job, limits(), "x.limit", "it", 1, 100);
    std::string first = pool.run("pid");
    EXPECT_NE(first, std::to_string(getpid()));  // not this process
    for (int i = 0; i < 5; ++i) EXPECT_EQ(pool.run("pid"), first);  // the same child each time
    std::string big(3 * 1024 * 1024, 'b');
    EXPECT_EQ(pool.run(big), "echo:" + big);
    try {
        pool.run("error");
        FAIL() << "no error";
    } catch (const Error& e) {
        EXPECT_EQ(e.code(), "pades.field_signed");
        EXPECT_EQ(e.http_status(), 409);
        EXPECT_STREQ(e.what(), "already signed");
    }
    EXPECT_EQ(pool.run("pid"), first);  // an error thrown by the job does not cost the child
}

TEST(IsolatedWorkerTest, ACrashARunawayAndAMemoryHogFailOnlyTheirJob) {
    core::IsolatedWorkerPool pool(job, limits(1), "x.limit", "it", 1, 100);
    std::string before = pool.run("pid");
    EXPECT_EQ(test::error_code_of([&] { pool.run("crash"); }), "x.limit");
    std::string after = pool.run("pid");
    EXPECT_NE(after, before);  // a fresh child
    auto start = std::chrono::steady_clock::now();
    EXPECT_EQ(test::error_code_of([&] { pool.run("loop"); }), "x.limit");
    EXPECT_LT(std::chrono::steady_clock::now() - start, std::chrono::seconds(4));
#if !defined(__SANITIZE_ADDRESS__)
    EXPECT_EQ(test::error_code_of([&] { pool.run("hog"); }), "x.limit");
#endif
    EXPECT_EQ(pool.run("still here"), "echo:still here");
}

TEST(IsolatedWorkerTest, AWorkerIsReplacedAfterItsQuotaAndConcurrentCallersAreServed) {
    core::IsolatedWorkerPool pool(job, limits(), "x.limit", "it", 2, 3);
    std::string a = pool.run("pid");
    pool.run("x");
    pool.run("y");  // third job of this worker: it retires
    EXPECT_NE(pool.run("pid"), a);
    std::vector<std::thread> callers;
    std::atomic<int> right{0};
    for (int t = 0; t < 4; ++t)
        callers.emplace_back([&, t] {
            for (int i = 0; i < 10; ++i)
                if (pool.run(std::to_string(t * 100 + i)) == "echo:" + std::to_string(t * 100 + i)) ++right;
        });
    for (auto& c : callers) c.join();
    EXPECT_EQ(right.load(), 40);
}
