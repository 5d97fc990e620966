#pragma once
// The per-SAD key kept in the HSM while its SAD lives (#19). Without it every signHash unwraps blob1 into a fresh
// session object (C_UnwrapKey: a PKCS#8 decode inside the HSM, most of a one-hash call's CPU) and destroys it again.
// Kept, the unwrapped key is a session object (sensitive, not extractable, CKA_TOKEN false) that is destroyed when the
// SAD dies: its last signature, its expiry, extendTransaction, or eviction when the cache is full.
//
// What it does not change (docs/threat-model.md "kept per-SAD keys"): the key is usable only inside the window and
// count the user authorised — every call still opens the SAD token and takes its count from the database row before
// the HSM is touched, and a kept key is found only with a proof derived from both shares of the SAD's key (the token's
// and the row's), so a call that could not have opened the seal never reaches the kept key either.
#include <cstdint>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>

#include "core/bytes.hpp"
#include "core/secure_buffer.hpp"
#include "keystore/keystore.hpp"

namespace yq::custody {

class SadKeyCache {
public:
    // capacity 0 keeps nothing (every call unwraps, as before #19).
    explicit SadKeyCache(std::size_t capacity) : m_capacity(capacity) {}  // each Kept key knows its own Keystore
    ~SadKeyCache();
    SadKeyCache(const SadKeyCache&) = delete;
    SadKeyCache& operator=(const SadKeyCache&) = delete;

    // One kept key. The HSM object is destroyed when the last holder lets go, so a call signing with it is never cut
    // short by the SAD dying under it.
    class Kept {
    public:
        Kept(keystore::Keystore& keys, keystore::SessionKey key) : m_keys(keys), m_key(std::move(key)) {}
        ~Kept() { m_keys.destroy_session_key(m_key); }
        Kept(const Kept&) = delete;
        Kept& operator=(const Kept&) = delete;
        const keystore::SessionKey& key() const { return m_key; }

    private:
        keystore::Keystore& m_keys;
        keystore::SessionKey m_key;
    };

    // The proof a call presents: SHA-256 over a domain label, the SAD id and both shares with the sealed key.
    static core::Bytes proof(const std::string& sad_id, const core::SecureBytes& token_share,
                             const core::Bytes& row_share, const core::Bytes& sealed_key);

    bool enabled() const { return m_capacity > 0; }
    // The kept key of this SAD when `proof` matches the one it was kept with (constant-time compare).
    std::shared_ptr<Kept> find(const std::string& sad_id, const core::Bytes& proof);
    // Keeps `key` for the SAD until `expires_at` (unix seconds). When full, the entry that expires first goes.
    void keep(const std::string& sad_id, const core::Bytes& proof, std::shared_ptr<Kept> key, std::int64_t expires_at);
    void forget(const std::string& sad_id);
    // Drops every key whose SAD has expired; returns how many.
    int forget_expired(std::int64_t now);
    std::size_t size();

private:
    struct Entry {
        core::Bytes proof;
        std::shared_ptr<Kept> key;
        std::int64_t expires_at = 0;
    };
    std::size_t m_capacity;
    std::mutex m_mutex;
    std::map<std::string, Entry> m_entries;
};

}  // namespace yq::custody
