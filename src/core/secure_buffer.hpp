#pragma once
// A byte buffer for secrets (PINs, passwords, key material): wiped on destruction and on every reallocation.
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace yq::core {

void secure_wipe(void* data, std::size_t size) noexcept;

template <class T>
struct ZeroizingAllocator {
    using value_type = T;
    ZeroizingAllocator() noexcept = default;
    template <class U>
    ZeroizingAllocator(const ZeroizingAllocator<U>&) noexcept {}
    T* allocate(std::size_t n) { return std::allocator<T>{}.allocate(n); }
    void deallocate(T* p, std::size_t n) noexcept {
        secure_wipe(p, n * sizeof(T));
        std::allocator<T>{}.deallocate(p, n);
    }
    template <class U>
    bool operator==(const ZeroizingAllocator<U>&) const noexcept { return true; }
};

using SecureBytes = std::vector<std::uint8_t, ZeroizingAllocator<std::uint8_t>>;
using SecureString = std::basic_string<char, std::char_traits<char>, ZeroizingAllocator<char>>;

inline SecureString to_secure(std::string_view s) { return SecureString(s.begin(), s.end()); }

}  // namespace yq::core
