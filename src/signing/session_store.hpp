#pragma once
// What the CSC service persists: bearer tokens (only their SHA-256) and SAD rows (the remaining count, the expiry and
// the bound hashes). Declared here, implemented in storage/.
#include <cstdint>
#include <optional>
#include <string>

#include "audit/event.hpp"
#include "core/bytes.hpp"

namespace yq::signing {

struct SadRecord {
    std::string id;
    std::string credential_id;
    std::string account_id;
    int remaining = 0;
    std::int64_t expires_at = 0;
    std::string hash_alg;  // OID of the bound hashes ("" when not hash-bound)
    core::Bytes hashes;    // bound hashes concatenated (each of the hash algorithm's length)
};

class SessionStore {
public:
    virtual ~SessionStore() = default;
    // Stores a new token (and drops tokens expired for a day), audited as the sign-in.
    virtual void put_token(const core::Bytes& token_hash, const std::string& account_id, std::int64_t expires_at,
                           const audit::Event& e) = 0;
    // The account of a live token (not expired, not revoked).
    virtual std::optional<std::string> token_account(const core::Bytes& token_hash, std::int64_t now) = 0;
    virtual void revoke_token(const core::Bytes& token_hash, const audit::Event& e) = 0;

    virtual void put_sad(const SadRecord& sad, const audit::Event& e) = 0;
    virtual std::optional<SadRecord> sad(const std::string& id) = 0;
    // Atomic: takes `n` signatures from a live SAD and writes the audit event; false when fewer than `n` remain or it
    // has expired (then nothing is written).
    virtual bool consume_sad(const std::string& id, int n, std::int64_t now, const audit::Event& e) = 0;
    // extendTransaction: the old SAD dies and the new one carries the remaining count, atomically.
    virtual bool replace_sad(const std::string& old_id, const SadRecord& replacement, std::int64_t now,
                             const audit::Event& e) = 0;
};

}  // namespace yq::signing
