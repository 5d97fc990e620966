#include "core/isolation.hpp"

#include <sys/resource.h>
#include <unistd.h>

#include <cstdio>

#if defined(__has_feature)
#if __has_feature(address_sanitizer)
#define YQ_ASAN 1
#endif
#endif

namespace yq::core {

namespace {

// The address space this process already has (shared libraries, the executable's mappings).
[[maybe_unused]] std::size_t current_address_space() {
    std::size_t pages = 0;
    if (FILE* f = std::fopen("/proc/self/statm", "r")) {
        if (std::fscanf(f, "%zu", &pages) != 1) pages = 0;
        std::fclose(f);
    }
    return pages * static_cast<std::size_t>(sysconf(_SC_PAGESIZE));
}

}  // namespace

void cap_child_memory([[maybe_unused]] const IsolationLimits& limits) {
#if !defined(__SANITIZE_ADDRESS__) && !defined(YQ_ASAN)
    std::size_t cap = current_address_space() + limits.memory_bytes;
    rlimit mem{cap, cap};
    setrlimit(RLIMIT_AS, &mem);
#endif
    rlimit core_dump{0, 0};
    setrlimit(RLIMIT_CORE, &core_dump);
}

}  // namespace yq::core
