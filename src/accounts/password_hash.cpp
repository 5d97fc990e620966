#include "accounts/password_hash.hpp"

#include <map>
#include <mutex>
#include <tuple>

#include <argon2.h>

#include "core/bytes.hpp"
#include "core/error.hpp"
#include "core/kdf_slots.hpp"

namespace yq::accounts {

namespace {
constexpr std::size_t kSaltBytes = 16, kHashBytes = 32;
}

std::string hash_password(const core::SecureString& password, const core::KdfConfig& cost) {
    core::Bytes salt = core::random_bytes(kSaltBytes);
    std::size_t len = argon2_encodedlen(cost.time_cost, cost.memory_kib, cost.parallelism, kSaltBytes, kHashBytes,
                                        Argon2_id);
    std::string encoded(len, '\0');
    core::KdfSlots::Slot slot(core::KdfSlots::instance());
    int rc = argon2id_hash_encoded(cost.time_cost, cost.memory_kib, cost.parallelism, password.data(), password.size(),
                                   salt.data(), salt.size(), kHashBytes, encoded.data(), encoded.size());
    if (rc != ARGON2_OK) throw Error("kdf.failed", 500, std::string("Argon2id failed: ") + argon2_error_message(rc));
    encoded.resize(std::char_traits<char>::length(encoded.c_str()));
    return encoded;
}

bool verify_password(const core::SecureString& password, const std::string& encoded_hash) {
    core::KdfSlots::Slot slot(core::KdfSlots::instance());
    return argon2id_verify(encoded_hash.c_str(), password.data(), password.size()) == ARGON2_OK;
}

core::SecureString generate_password() {
    static constexpr char kAlphabet[] = "ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz23456789";
    constexpr std::size_t kAlphabetSize = sizeof kAlphabet - 1;  // 56
    core::SecureString out;
    while (out.size() < 20) {
        core::Bytes b = core::random_bytes(32);
        for (std::uint8_t v : b) {
            if (v >= 256 - 256 % kAlphabetSize) continue;  // rejection sampling keeps the choice uniform
            out.push_back(kAlphabet[v % kAlphabetSize]);
            if (out.size() == 20) break;
        }
        core::secure_wipe(b.data(), b.size());
    }
    return out;
}

const std::string& dummy_password_hash(const core::KdfConfig& cost) {
    static std::mutex mutex;
    static std::map<std::tuple<std::uint32_t, std::uint32_t, std::uint32_t>, std::string> hashes;
    std::lock_guard lock(mutex);
    auto& h = hashes[{cost.time_cost, cost.memory_kib, cost.parallelism}];
    if (h.empty()) h = hash_password(core::to_secure(core::random_token(16)), cost);
    return h;  // std::map never moves its elements
}

}  // namespace yq::accounts
