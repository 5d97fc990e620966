#include "support/process_memory.hpp"

#include <fcntl.h>
#include <unistd.h>

#include <cstdio>
#include <fstream>
#include <stdexcept>

namespace yq::test {

std::size_t occurrences_in_memory(int pid, const std::string& needle) {
    std::ifstream maps("/proc/" + std::to_string(pid) + "/maps");
    int mem = ::open(("/proc/" + std::to_string(pid) + "/mem").c_str(), O_RDONLY);
    if (mem < 0 || !maps) {
        if (mem >= 0) ::close(mem);
        throw std::runtime_error("cannot open the memory of process " + std::to_string(pid));
    }
    std::size_t found = 0;
    std::string line;
    while (std::getline(maps, line)) {
        unsigned long from = 0, to = 0;
        char perms[5] = {};
        if (std::sscanf(line.c_str(), "%lx-%lx %4s", &from, &to, perms) != 3 || perms[0] != 'r') continue;
        if (line.find("[vvar]") != std::string::npos || line.find("[vsyscall]") != std::string::npos) continue;
        std::string region(to - from, '\0');
        ssize_t n = pread(mem, region.data(), region.size(), static_cast<off_t>(from));
        if (n <= 0) continue;
        region.resize(static_cast<std::size_t>(n));
        for (std::size_t at = region.find(needle); at != std::string::npos; at = region.find(needle, at + 1)) ++found;
    }
    ::close(mem);
    return found;
}

}  // namespace yq::test
