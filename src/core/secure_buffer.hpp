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
using ZeroizingString = std::basic_string<char, std::char_traits<char>, ZeroizingAllocator<char>>;

// A string for passwords and PINs (#14). A plain basic_string keeps up to 15 characters in a small-string buffer
// inside the object, which no allocator ever wipes — exactly where most passwords would sit. SecureString reserves
// heap room before any character is written, so its characters live only in zeroizing heap memory, and wipes that
// memory when it is destroyed.
class SecureString : public ZeroizingString {
public:
    static constexpr std::size_t kMinCapacity = 32;  // above every small-string buffer (libstdc++: 15)

    SecureString() { reserve(kMinCapacity); }
    SecureString(const SecureString& other) : SecureString() { assign(other); }
    SecureString(SecureString&& other) noexcept : ZeroizingString(std::move(other)) {}
    SecureString(const ZeroizingString& other) : SecureString() { assign(other); }  // NOLINT: results of substr etc.
    template <class It>
    SecureString(It first, It last) : SecureString() {
        assign(first, last);
    }
    SecureString(const char* text) : SecureString() { assign(text); }  // NOLINT: literals in tests and callers
    SecureString(const char* text, std::size_t n) : SecureString() { assign(text, n); }
    SecureString(std::size_t n, char c) : SecureString() { assign(n, c); }
    ~SecureString() { secure_wipe(data(), capacity() + 1); }  // + the terminator

    SecureString& operator=(const SecureString& other) {
        if (this != &other) assign(other);
        return *this;
    }
    SecureString& operator=(SecureString&& other) noexcept {
        // keep the invariant: our own heap buffer is wiped by the allocator when it is released
        ZeroizingString::operator=(std::move(other));
        if (capacity() < kMinCapacity) reserve(kMinCapacity);
        return *this;
    }
};

inline SecureString to_secure(std::string_view s) { return SecureString(s.begin(), s.end()); }

}  // namespace yq::core
