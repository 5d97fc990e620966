// Long-lived isolated workers: one exec'd worker serves many jobs; a crash, a runaway, a memory hog or a system call
// the sandbox forbids is an error for that job only, and the next job gets a fresh worker; a worker is replaced after
// its job quota. The worker is tests/worker/test_worker_main.cpp: core::serve_worker with jobs that misbehave.
#include <gtest/gtest.h>
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <thread>
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

core::WorkerCommand test_worker() { return {core::sibling_executable("yq_test_worker"), nullptr}; }

}  // namespace

TEST(IsolatedWorkerTest, OneWorkerServesManyJobsAndErrorsComeBackAsThrown) {
    core::IsolatedWorkerPool pool(test_worker(), limits(), "x.limit", "it", 1, 100);
    std::string first = pool.run("pid", "");
    EXPECT_NE(first, std::to_string(getpid()));  // not this process
    for (int i = 0; i < 5; ++i) EXPECT_EQ(pool.run("pid", ""), first);  // the same worker each time
    std::string big(3 * 1024 * 1024, 'b');
    big[7] = '\0';
    EXPECT_EQ(pool.run("echo", big), "echo:" + big);
    try {
        pool.run("error", "");
        FAIL() << "no error";
    } catch (const Error& e) {
        EXPECT_EQ(e.code(), "pades.field_signed");
        EXPECT_EQ(e.http_status(), 409);
        EXPECT_STREQ(e.what(), "already signed");
    }
    EXPECT_EQ(pool.run("pid", ""), first);  // an error thrown by the job does not cost the worker
}

TEST(IsolatedWorkerTest, ACrashARunawayAndAMemoryHogFailOnlyTheirJob) {
    core::IsolatedWorkerPool pool(test_worker(), limits(1), "x.limit", "it", 1, 100);
    std::string before = pool.run("pid", "");
    EXPECT_EQ(test::error_code_of([&] { pool.run("crash", ""); }), "x.limit");
    std::string after = pool.run("pid", "");
    EXPECT_NE(after, before);  // a fresh worker
    EXPECT_EQ(test::error_code_of([&] { pool.run("abort", ""); }), "x.limit");  // not taken for a forbidden call
    auto start = std::chrono::steady_clock::now();
    EXPECT_EQ(test::error_code_of([&] { pool.run("loop", ""); }), "x.limit");
    EXPECT_LT(std::chrono::steady_clock::now() - start, std::chrono::seconds(4));
#if !defined(__SANITIZE_ADDRESS__)
    EXPECT_EQ(test::error_code_of([&] { pool.run("hog", ""); }), "x.limit");
#endif
    EXPECT_EQ(pool.run("echo", "still here"), "echo:still here");
}

TEST(IsolatedWorkerTest, AWorkerIsReplacedAfterItsQuotaAndConcurrentCallersAreServed) {
    core::IsolatedWorkerPool pool(test_worker(), limits(), "x.limit", "it", 2, 3);
    std::string a = pool.run("pid", "");
    pool.run("echo", "x");
    pool.run("echo", "y");  // third job of this worker: it retires
    EXPECT_NE(pool.run("pid", ""), a);
    std::vector<std::thread> callers;
    std::atomic<int> right{0};
    for (int t = 0; t < 4; ++t)
        callers.emplace_back([&, t] {
            for (int i = 0; i < 10; ++i)
                if (pool.run("echo", std::to_string(t * 100 + i)) == "echo:" + std::to_string(t * 100 + i)) ++right;
        });
    for (auto& c : callers) c.join();
    EXPECT_EQ(right.load(), 40);
}

// #14 "Parsing untrusted PDFs": code that a hostile file made the parser run (an exploit of a parser bug) tries to
// reach out — a network socket, a file opened for writing. The seccomp filter kills the worker at the system call;
// the request gets a clear error and the next job a fresh worker.
TEST(IsolatedWorkerTest, HijackedParserOpeningASocketOrWritingAFileIsKilledBySeccomp) {
    test::TempDir dir;
    core::IsolatedWorkerPool pool(test_worker(), limits(), "x.limit", "the PDF", 1, 100);
    std::string before = pool.run("pid", "");
    try {
        pool.run("socket", "");
        FAIL() << "a network socket was opened inside the sandbox";
    } catch (const Error& e) {
        EXPECT_EQ(e.code(), "isolation.forbidden_call");
        EXPECT_EQ(e.http_status(), 422);
        EXPECT_NE(std::string(e.what()).find("forbids"), std::string::npos) << e.what();
    }
    EXPECT_EQ(test::error_code_of([&] { pool.run("write-file", dir.file("planted")); }), "isolation.forbidden_call");
    EXPECT_FALSE(std::filesystem::exists(dir.file("planted")));
    std::string after = pool.run("pid", "");
    EXPECT_NE(after, before);
    // Reading stays allowed (the appearance fonts): the filter is not simply killing every open.
    test::write_file(dir.file("font"), "glyphs");
    ::chmod(dir.path().c_str(), 0755);
    ::chmod(dir.file("font").c_str(), 0644);
    EXPECT_EQ(pool.run("read-file", dir.file("font")), "glyphs");
}
