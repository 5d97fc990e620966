// A worker executable for the tests of core/isolated_worker and core/sandbox: the same start-up, memory cap and
// sandbox as the PDF worker (core::serve_worker), with jobs that misbehave on purpose.
//   pid: the worker's process id;  crash: a wild write (SIGSEGV);  abort: abort() (SIGABRT, raised on itself);  loop: spins for ever;  hog: allocates 4 GiB;  error: throws a
//   yq::Error;  socket: opens a network socket;  write-file: opens the input path for writing;  read-file: reads
//   the input path;  anything else: "echo:" + input.
#include <fcntl.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cstdlib>
#include <fstream>
#include <iterator>
#include <string>
#include <vector>

#include "core/error.hpp"
#include "core/worker_main.hpp"

namespace {

std::string test_job(std::string_view job, const std::string& input) {
    using yq::Error;
    if (job == "pid") return std::to_string(getpid());
    if (job == "crash") {  // a parser bug: a wild write
        volatile int* wild = nullptr;
        *wild = 1;
    }
    if (job == "abort") std::abort();  // a failed assertion in a library
    if (job == "loop") {
        volatile bool forever = true;
        while (forever) {
        }
    }
    if (job == "hog") {
        std::vector<std::vector<char>> hog;
        for (int i = 0; i < 64; ++i) hog.emplace_back(64 * 1024 * 1024, 'x');
        return std::to_string(hog.size());
    }
    if (job == "error") yq::throw_conflict("pades.field_signed", "already signed");
    if (job == "socket") {
        int s = ::socket(AF_INET, SOCK_STREAM, 0);
        return s >= 0 ? "socket opened" : "socket refused";
    }
    if (job == "write-file") {
        int fd = ::open(input.c_str(), O_WRONLY | O_CREAT, 0600);
        return fd >= 0 ? "opened for writing" : "open refused";
    }
    if (job == "read-file") {
        std::ifstream in(input, std::ios::binary);
        if (!in) yq::throw_not_found("test.unreadable", "cannot read " + input);
        return std::string(std::istreambuf_iterator<char>(in), {});
    }
    return "echo:" + input;
}

}  // namespace

int main(int argc, char** argv) { return yq::core::serve_worker(argc, argv, test_job); }
