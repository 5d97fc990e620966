#include "support/process_memory.hpp"

#include <fcntl.h>
#include <unistd.h>

#include <algorithm>
#include <cstdio>
#include <fstream>
#include <stdexcept>
#include <string_view>

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
    // In chunks that overlap by the needle's length less one, so an occurrence across a chunk border is counted once.
    // Mappings beyond 16 GiB are a sanitizer's shadow or reserved address space, never a heap to scan.
    constexpr std::size_t kChunk = 1 << 20;
    constexpr unsigned long kLargestMapping = 16ul << 30;
    std::string chunk(kChunk + needle.size(), '\0');
    while (std::getline(maps, line)) {
        unsigned long from = 0, to = 0;
        char perms[5] = {};
        if (std::sscanf(line.c_str(), "%lx-%lx %4s", &from, &to, perms) != 3 || perms[0] != 'r') continue;
        if (line.find("[vvar]") != std::string::npos || line.find("[vsyscall]") != std::string::npos) continue;
        if (to - from > kLargestMapping) continue;
        for (unsigned long at = from; at < to; at += kChunk) {
            std::size_t want = std::min<unsigned long>(kChunk + needle.size() - 1, to - at);
            ssize_t n = pread(mem, chunk.data(), want, static_cast<off_t>(at));
            if (n <= 0) break;
            std::string_view got(chunk.data(), static_cast<std::size_t>(n));
            for (std::size_t i = got.find(needle); i != std::string_view::npos && i < kChunk; i = got.find(needle, i + 1))
                ++found;
        }
    }
    ::close(mem);
    return found;
}

}  // namespace yq::test
