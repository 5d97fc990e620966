#pragma once
// What the CSC service persists: bearer tokens (only their SHA-256) and SAD rows. Declared here, implemented in
// storage/.
//
// A SAD row is the server's half of one signature activation (design: Key custody step 5, hardened by #14): the
// remaining count, the expiry, the bound hashes with which of them are already signed, and the row's share of the
// per-SAD key that opens the credential's key for this SAD only. Rows change only by compare-and-swap on `version`, so
// two requests (on one node or several) can never both spend the same signature.
#include <cstdint>
#include <optional>
#include <string>

#include "audit/event.hpp"
#include "core/bytes.hpp"

namespace yq::signing {

// A live bearer token: whose it is, and whether its sign-in proved the account's second factor (#14: the portal's
// password + code; CSC auth/login proves only the login password).
struct TokenSession {
    std::string account_id;
    bool second_factor = false;
};

struct SadRecord {
    std::string id;
    std::string credential_id;
    std::string account_id;
    int remaining = 0;
    std::int64_t expires_at = 0;
    std::int64_t authorised_until = 0;  // the first authorisation's expiry: extendTransaction never goes past it
    std::string hash_alg;               // OID of the bound hashes ("" when not hash-bound)
    core::Bytes hashes;                 // bound hashes concatenated (each of the hash algorithm's length)
    core::Bytes signed_mask;            // one byte per bound hash: 1 once it has been signed
    core::Bytes row_share;              // the row's half of the per-SAD key (the token holds the other half)
    core::Bytes sealed_key;             // the credential's wrapped key sealed under the per-SAD key
    std::int64_t version = 0;
};

class SessionStore {
public:
    virtual ~SessionStore() = default;
    // Stores a new token (and drops tokens expired for a day), audited as the sign-in.
    virtual void put_token(const core::Bytes& token_hash, const std::string& account_id, std::int64_t expires_at,
                           bool second_factor, const audit::Event& e) = 0;
    // A live token (not expired, not revoked).
    virtual std::optional<TokenSession> token_session(const core::Bytes& token_hash, std::int64_t now) = 0;
    // Marks a live token as proven with the second factor (the owner just enrolled the authenticator on it), audited.
    virtual void confirm_second_factor(const core::Bytes& token_hash, const audit::Event& e) = 0;
    virtual void revoke_token(const core::Bytes& token_hash, const audit::Event& e) = 0;

    // Stores a new SAD row (and deletes every SAD row that has expired), audited as the authorisation.
    virtual void put_sad(const SadRecord& sad, const audit::Event& e) = 0;
    // A live SAD row; an expired row is deleted and reported as absent.
    virtual std::optional<SadRecord> sad(const std::string& id, std::int64_t now) = 0;
    // Compare-and-swap: writes `next`'s remaining count and signed mask (version + 1) if the row is still at
    // `next.version` and live, and audits it; false (nothing written) otherwise.
    virtual bool update_sad(const SadRecord& next, std::int64_t now, const audit::Event& e) = 0;
    // Compare-and-swap delete of a live row at `version` (its last signature taken), audited; false otherwise.
    virtual bool delete_sad(const std::string& id, std::int64_t version, std::int64_t now, const audit::Event& e) = 0;
    // extendTransaction: the old row (at `old_version`, live) is deleted and `replacement` inserted, atomically.
    virtual bool replace_sad(const std::string& old_id, std::int64_t old_version, const SadRecord& replacement,
                             std::int64_t now, const audit::Event& e) = 0;
    // Deletes every expired SAD row (the periodic sweep); returns how many.
    virtual int delete_expired_sads(std::int64_t now) = 0;
};

}  // namespace yq::signing
