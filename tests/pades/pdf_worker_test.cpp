// #14 "Parsing untrusted PDFs": the parser that reads a hostile PDF must hold nothing worth stealing and be able to do
// nothing but parse. It is a separate executable (exec, not a fork of the server), started as nobody when the server
// runs as root, with no_new_privs and a seccomp filter, no descriptor but its socket (and /dev/null on 0–2), an empty
// environment and "/" as working directory. These tests look at the running worker from outside, as an attacker who
// took it over would find it. (That the filter kills a forbidden call: core/isolated_worker_test.cpp.)
#include <fcntl.h>
#include <gtest/gtest.h>
#include <pwd.h>
#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <set>

#include "core/bytes.hpp"
#include "pades/pdf_jobs.hpp"
#include "support/fixtures.hpp"
#include "support/pdf_tools.hpp"
#include "support/process_memory.hpp"

using namespace yq;

namespace {

std::string proc(int pid, const std::string& what) { return "/proc/" + std::to_string(pid) + "/" + what; }

std::string status_line(const std::string& status, const std::string& key) {
    std::size_t at = status.find("\n" + key + ":");
    if (at == std::string::npos) return "(missing)";
    std::size_t from = status.find_first_not_of(" \t", at + key.size() + 2);
    return status.substr(from, status.find('\n', from) - from);
}

}  // namespace

TEST(PdfWorkerTest, HijackedParserFindsNoSecretNoDescriptorNoPrivilegeAndAFilter) {
    // What the server has and the parser must not: an environment variable, an open descriptor, a secret in memory.
    const std::string secret = "hsm-pin-" + core::hex_encode(core::random_bytes(12));
    ::setenv("YQ_TEST_SECRET", secret.c_str(), 1);
    int inherited = ::open("/dev/zero", O_RDONLY);  // no O_CLOEXEC: a careless fork + exec would pass it on
    ASSERT_GE(inherited, 0);
    test::TempDir dir;
    std::string pdf = test::read_file(test::ghostscript_pdf(dir, 1));

    auto parsers = pades::make_pdf_parsers();
    std::string parsed = parsers->run(pades::kReadSignedPdfJob, pdf);
    EXPECT_NE(parsed.find("\"signatures\":[]"), std::string::npos) << parsed;  // it did parse the file
    std::vector<int> pids = parsers->pids();
    ASSERT_EQ(pids.size(), 1u);
    const int pid = pids[0];
    ASSERT_NE(pid, ::getpid());

    // a fresh image of the worker executable, not a copy of this process
    EXPECT_EQ(std::filesystem::read_symlink(proc(pid, "exe")).filename(), pades::kPdfWorkerExecutable);
    EXPECT_EQ(test::read_file(proc(pid, "environ")), "");
    EXPECT_EQ(std::filesystem::read_symlink(proc(pid, "cwd")), "/");

    std::string status = test::read_file(proc(pid, "status"));
    EXPECT_EQ(status_line(status, "Seccomp"), "2") << status;  // SECCOMP_MODE_FILTER
    EXPECT_EQ(status_line(status, "NoNewPrivs"), "1") << status;
    if (::geteuid() == 0) {
        const passwd* nobody = ::getpwnam("nobody");
        std::string id = std::to_string(nobody ? nobody->pw_uid : 65534);
        std::string gid = std::to_string(nobody ? nobody->pw_gid : 65534);
        EXPECT_EQ(status_line(status, "Uid"), id + "\t" + id + "\t" + id + "\t" + id) << status;
        EXPECT_EQ(status_line(status, "Gid"), gid + "\t" + gid + "\t" + gid + "\t" + gid) << status;
        EXPECT_EQ(status_line(status, "Groups"), "") << status;
        EXPECT_EQ(status_line(status, "CapEff"), "0000000000000000") << status;
    }

    std::set<std::string> fds;
    for (const auto& entry : std::filesystem::directory_iterator(proc(pid, "fd"))) {
        std::string name = entry.path().filename();
        std::string target = std::filesystem::read_symlink(entry.path());
        fds.insert(name);
        if (name == "3") EXPECT_EQ(target.rfind("socket:", 0), 0u) << target;
        else EXPECT_EQ(target, "/dev/null") << "descriptor " << name;
    }
    EXPECT_EQ(fds, (std::set<std::string>{"0", "1", "2", "3"}));

    // the secret is in this process's memory (the scan can see it) and not in the worker's
    EXPECT_GT(test::occurrences_in_memory(::getpid(), secret), 0u);
    EXPECT_EQ(test::occurrences_in_memory(pid, secret), 0u);
    ::close(inherited);
    ::unsetenv("YQ_TEST_SECRET");
}

TEST(PdfWorkerTest, RunByHandItExplainsItselfAndParsesNothing) {
    auto run = test::run_command(test::shell_quote(core::sibling_executable(pades::kPdfWorkerExecutable)) + " </dev/null");
    EXPECT_EQ(run.exit_code, 2);
    EXPECT_NE(run.output.find("not run by hand"), std::string::npos) << run.output;
}
