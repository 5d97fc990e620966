// Work on untrusted input runs in a child process: a crash, a runaway loop or a memory hog there is an error here,
// and the server process goes on.
#include <gtest/gtest.h>

#include <csignal>
#include <vector>

#include "core/error.hpp"
#include "core/isolation.hpp"
#include "support/fixtures.hpp"

using namespace yq;

namespace {
core::IsolationLimits limits(int wall_seconds = 5) {
    core::IsolationLimits l;
    l.memory_bytes = 256ull * 1024 * 1024;
    l.cpu_seconds = wall_seconds;
    l.wall_seconds = wall_seconds;
    return l;
}
}  // namespace

TEST(Isolation, ReturnsTheResultAndCarriesErrorsBack) {
    EXPECT_EQ(core::run_isolated([] { return std::string("result\0with nul", 15); }, limits(), "x.limit", "it"),
              std::string("result\0with nul", 15));
    std::string big(3 * 1024 * 1024, 'b');  // more than a pipe buffer
    EXPECT_EQ(core::run_isolated([&] { return big; }, limits(), "x.limit", "it"), big);
    try {
        core::run_isolated([]() -> std::string { throw_conflict("pades.field_signed", "already signed"); }, limits(),
                           "x.limit", "it");
        FAIL() << "no error";
    } catch (const Error& e) {
        EXPECT_EQ(e.code(), "pades.field_signed");
        EXPECT_EQ(e.http_status(), 409);
        EXPECT_STREQ(e.what(), "already signed");
    }
}

TEST(Isolation, ACrashARunawayAndAMemoryHogAreErrorsNotDeaths) {
    EXPECT_EQ(test::error_code_of([] {
                  core::run_isolated([]() -> std::string { std::raise(SIGSEGV); return ""; }, limits(), "x.limit", "it");
              }),
              "x.limit");
    auto start = std::chrono::steady_clock::now();
    EXPECT_EQ(test::error_code_of([] {
                  core::run_isolated(
                      []() -> std::string {
                          volatile bool forever = true;
                          while (forever) {
                          }
                          return "";
                      },
                      limits(1), "x.limit", "it");
              }),
              "x.limit");
    EXPECT_LT(std::chrono::steady_clock::now() - start, std::chrono::seconds(4));
#if !defined(__SANITIZE_ADDRESS__)
    EXPECT_EQ(test::error_code_of([] {
                  core::run_isolated(
                      []() -> std::string {
                          std::vector<std::vector<char>> hog;
                          for (int i = 0; i < 64; ++i) hog.emplace_back(64 * 1024 * 1024, 'x');  // 4 GB
                          return std::to_string(hog.size());
                      },
                      limits(), "x.limit", "it");
              }),
              "x.limit");
#endif
}
