#include "signing/csc_service.hpp"

#include <algorithm>
#include <ctime>
#include <nlohmann/json.hpp>

#include "custody/sad.hpp"
#include "signing/algorithms.hpp"
#include "signing/csc_error.hpp"

namespace yq::signing {

namespace {

core::Bytes token_hash(const std::string& token) { return core::sha256(token); }

core::Bytes concat(const std::vector<core::Bytes>& hashes) {
    core::Bytes out;
    for (const auto& h : hashes) out.insert(out.end(), h.begin(), h.end());
    return out;
}

std::vector<core::Bytes> split(const core::Bytes& all, std::size_t size) {
    std::vector<core::Bytes> out;
    if (size == 0) return out;
    for (std::size_t i = 0; i + size <= all.size(); i += size)
        out.emplace_back(all.begin() + static_cast<std::ptrdiff_t>(i), all.begin() + static_cast<std::ptrdiff_t>(i + size));
    return out;
}

// Compare-and-swap rounds on one SAD row before giving up (only concurrent calls on the same SAD retry).
constexpr int kSadCasAttempts = 16;

std::vector<core::Bytes> bound_list(const SadRecord& row) {
    auto alg = hash_from_oid(row.hash_alg);
    return split(row.hashes, alg ? keystore::digest_size(*alg) : 0);
}

// Hash binding is a multiset (#14): each wanted hash takes one not-yet-signed bound entry equal to it, so a SAD bound
// to [A, B] signs A once and B once, never A twice. The new mask, or nullopt when a wanted hash has no entry left.
std::optional<core::Bytes> take_bound(const std::vector<core::Bytes>& bound, core::Bytes mask,
                                      const std::vector<core::Bytes>& wanted) {
    if (mask.size() != bound.size()) return std::nullopt;
    for (const auto& w : wanted) {
        bool taken = false;
        for (std::size_t i = 0; i < bound.size() && !taken; ++i)
            if (mask[i] == 0 && bound[i] == w) mask[i] = taken = 1;
        if (!taken) return std::nullopt;
    }
    return mask;
}

// A new SAD as both sides hold it: the row (the server's half) and the claims sealed into the token, with one id, one
// binding and the two halves of one per-SAD key. `hashes` empty: not hash-bound (SCAL1).
struct NewSad {
    SadRecord row;
    custody::SadClaims claims;
};
NewSad new_sad(const std::string& id, const std::string& credential_id, const std::string& account_id,
               custody::SadKey key, int count, std::int64_t expires_at, std::int64_t authorised_until,
               const std::string& hash_alg, const std::vector<core::Bytes>& hashes) {
    NewSad s;
    s.row.id = s.claims.sad_id = id;
    s.row.credential_id = s.claims.credential_id = credential_id;
    s.row.account_id = s.claims.account_id = account_id;
    s.row.remaining = s.claims.num_signatures = count;
    s.row.expires_at = s.claims.expires_at = expires_at;
    s.row.authorised_until = authorised_until;
    s.row.row_share = std::move(key.row_share);
    s.row.sealed_key = std::move(key.sealed_key);
    s.claims.token_share = std::move(key.token_share);
    if (!hashes.empty()) {
        s.row.hash_alg = hash_alg;
        s.row.hashes = concat(hashes);
        s.row.signed_mask = core::Bytes(hashes.size(), 0);
        s.claims.hashes_digest = custody::bound_hashes_digest(hashes);
    }
    return s;
}

std::string new_sad_id() { return "sad_" + core::random_token(16); }

// The first ten values in hex (a mail lists no more), then how many more there are.
nlohmann::json first_ten(const std::vector<core::Bytes>& values) {
    nlohmann::json out = nlohmann::json::array();
    for (std::size_t i = 0; i < values.size() && i < 10; ++i) out.push_back(core::hex_encode(values[i]));
    if (values.size() > 10) out.push_back("… (" + std::to_string(values.size() - 10) + ")");
    return out;
}

// #16: the owner is told of every signing with their key — at once, or in the day's digest at mail.digest_hour office
// time — with the digests signed, so a signing they did not make shows; #18: with the transparency log leaves that
// record them, which the owner can look up and prove.
audit::Notice signing_notice(const accounts::Account& owner, const std::string& certificate_serial,
                             const std::vector<core::Bytes>& hashes, const std::vector<core::Bytes>& leaves,
                             std::int64_t now, const core::Config& config) {
    // the certificate's serial, as the portal shows it (no internal credential id in a mail)
    nlohmann::json params{{"username", owner.username}, {"certificate", certificate_serial},
                          {"count", hashes.size()},     {"hashes", first_ten(hashes)},
                          {"leaves", first_ten(leaves)}, {"has_leaves", !leaves.empty()},
                          {"at", now}};
    audit::Notice n{"signing", audit::account_audience(owner.id), params.dump(), "", "", 0};
    if (owner.signing_notices == "daily") {
        const std::int64_t offset = std::int64_t{config.office.utc_offset_minutes} * 60;
        const std::int64_t local_midnight = (now + offset) / 86400 * 86400;
        std::int64_t digest_at = local_midnight + std::int64_t{config.mail.digest_hour} * 3600 - offset;
        if (digest_at <= now) digest_at += 86400;
        n.group_key = "signing-digest:" + owner.id + ":" + std::to_string(digest_at);
        n.not_before = digest_at;
    }
    return n;
}

std::string hex_list(const std::vector<core::Bytes>& hashes) {
    std::string out;
    for (const auto& h : hashes) out += (out.empty() ? "" : ",") + core::hex_encode(h);
    return out;
}

}  // namespace

CscService::Token CscService::login(const std::string& username, const core::SecureString& password) {
    return login_with_second_factor(username, password, nullptr);
}

CscService::Token CscService::login_with_second_factor(const std::string& username, const core::SecureString& password,
                                                       const std::function<bool(const accounts::Account&)>& second_factor) {
    accounts::Account a;
    try {
        a = m_accounts.authenticate(username, password);
    } catch (const Error& e) {
        if (e.code() == "accounts.authentication_failed" || e.code() == "accounts.disabled")
            csc_error(400, "authentication_error", "An error occurred during authentication process");
        throw;
    }
    if (second_factor && !second_factor(a))
        csc_error(400, "authentication_error", "An error occurred during authentication process");
    std::string token = core::random_token(32);
    std::int64_t now = m_clock.unix_seconds();
    m_sessions.put_token(token_hash(token), a.id, now + m_config.csc.access_token_seconds, second_factor != nullptr,
                         audit::Event{"csc:" + a.id, "account.signed_in", "account:" + a.username,
                                      audit::details({{"channel", second_factor ? "portal" : "csc"}}), now});
    return Token{token, m_config.csc.access_token_seconds};
}

void CscService::revoke(const std::string& account_id, const std::string& token) {
    m_sessions.revoke_token(token_hash(token), audit::Event{"csc:" + account_id, "account.token_revoked",
                                                            "account:" + account_id, "{}", m_clock.unix_seconds()});
}

TokenSession CscService::live_session(const std::string& token) {
    if (token.empty() || token.size() > 512) csc_error(401, "invalid_token", "The token provided is not a valid OAuth access or refresh token.");
    auto session = m_sessions.token_session(token_hash(token), m_clock.unix_seconds());
    if (!session) csc_error(401, "invalid_token", "The token provided is not a valid OAuth access or refresh token.");
    return *session;
}

std::string CscService::account_for_token(const std::string& token) { return live_session(token).account_id; }

std::string CscService::account_for_session(const std::string& token) {
    TokenSession session = live_session(token);
    if (!session.second_factor && m_config.accounts.otp_required) {
        auto a = m_account_store.account_by_id(session.account_id);
        if (!a || a->totp_enrolled_at != 0)
            csc_error(401, "invalid_token", "This session was not opened with the one-time code; sign in on the portal.");
    }
    return session.account_id;
}

void CscService::confirm_second_factor(const std::string& account_id, const std::string& token) {
    auto a = m_account_store.account_by_id(account_id);
    if (!a) csc_error(401, "invalid_token", "The token provided is not a valid OAuth access or refresh token.");
    m_sessions.confirm_second_factor(token_hash(token), audit::Event{"self:" + account_id, "account.session_two_factor",
                                                                     "account:" + a->username, "{}",
                                                                     m_clock.unix_seconds()});
}

accounts::Credential CscService::owned_credential(const std::string& account_id, const std::string& credential_id) {
    auto c = m_account_store.credential(credential_id);
    // an unknown credential and another user's are answered alike
    if (!c || c->account_id != account_id) csc_error(400, "invalid_request", "Invalid parameter credentialID");
    return *c;
}

std::vector<std::string> CscService::list_credentials(const std::string& account_id, bool only_valid) {
    std::vector<std::string> ids;
    for (const auto& c : m_account_store.credentials_of(account_id)) {
        if (only_valid && c.status != "active") continue;
        ids.push_back(c.id);
    }
    return ids;
}

CredentialInfo CscService::credential_info(const std::string& account_id, const std::string& credential_id) {
    accounts::Credential c = owned_credential(account_id, credential_id);
    auto account = m_account_store.account_by_id(account_id);
    auto cert = m_ca.find_certificate(c.certificate_serial);
    if (!cert || !account) throw Error("csc.server_error", 500, "The credential's certificate is missing");
    CredentialInfo info;
    info.id = c.id;
    info.key_status = (c.status == "active" && account->status == "active") ? "enabled" : "disabled";
    info.algorithms = sign_algorithms_for(c.key.key_type);
    info.key_bits = key_bits(c.key.key_type);
    info.curve = curve_oid(c.key.key_type);
    std::int64_t now = m_clock.unix_seconds();
    info.cert_status = cert->status == "revoked" ? "revoked" : (now > cert->not_after ? "expired" : "valid");
    info.chain = {cert->der, pki::to_der(m_ca.issuing_certificate()), pki::to_der(m_ca.root_certificate())};
    pki::X509Ptr x = pki::certificate_from_der(cert->der);
    info.issuer_dn = pki::name_text(X509_get_issuer_name(x.get()));
    info.subject_dn = cert->subject;
    info.serial_hex = cert->serial;
    info.valid_from = core::to_generalized_time(cert->not_before);  // CSC: YYYYMMDDHHMMSSZ
    info.valid_to = core::to_generalized_time(cert->not_after);
    info.multisign = m_config.csc.multisign;
    info.scal = m_config.csc.scal;
    info.otp_required = m_config.accounts.otp_required;
    info.description = account->display_name + " — " + account->agency;
    return info;
}

void CscService::check_hashes(const std::vector<core::Bytes>& hashes, const std::string& hash_oid, bool required,
                              const char* hash_field) {
    if (hashes.empty()) {
        if (required) csc_error(400, "invalid_request", "Missing (or invalid type) array parameter hashes");
        return;
    }
    auto alg = hash_from_oid(hash_oid);
    if (hash_oid.empty()) csc_error(400, "invalid_request", std::string("Missing (or invalid type) string parameter ") + hash_field);
    if (!alg) csc_error(400, "invalid_request", std::string("Invalid parameter ") + hash_field);
    for (const auto& h : hashes)
        if (h.size() != keystore::digest_size(*alg)) csc_error(400, "invalid_request", "Invalid digest value length");
}

SadGrant CscService::authorize(const std::string& account_id, const AuthorizeRequest& r) {
    accounts::Credential c = owned_credential(account_id, r.credential_id);
    if (r.num_signatures < 1) csc_error(400, "invalid_request", "Invalid value for parameter numSignatures");
    if (r.num_signatures > m_config.csc.multisign) csc_error(400, "invalid_request", "Numbers of signatures is too high");
    bool hash_bound = m_config.csc.scal == 2;
    check_hashes(r.hashes, r.hash_algorithm_oid, hash_bound, "hashAlgorithmOID");
    if (hash_bound && static_cast<int>(r.hashes.size()) != r.num_signatures)
        csc_error(400, "invalid_request", "Invalid value for parameter numSignatures");
    // Argon2id and the HSM run here, outside any database transaction.
    accounts::SigningAuthorisation auth =
        m_accounts.authorise_signing(account_id, c.id, r.pin, r.otp, "csc:" + account_id);

    std::int64_t now = m_clock.unix_seconds();
    std::string id = new_sad_id();
    // K_user ends here: the SAD gets a key of its own that dies with its row.
    custody::SadKey key = m_custody.seal_for_sad(c.key, auth.k_user, id);
    auth.k_user = core::SecureBytes();
    std::int64_t expires_at = now + m_config.csc.sad_seconds;
    NewSad sad = new_sad(id, c.id, account_id, std::move(key), r.num_signatures, expires_at, expires_at,
                         r.hash_algorithm_oid, r.hashes);
    m_sessions.put_sad(sad.row, audit::Event{"csc:" + account_id, "csc.credential.authorized", "credential:" + c.id,
                                             audit::details({{"sad", id},
                                                             {"signatures", std::to_string(r.num_signatures)},
                                                             {"hash_bound", r.hashes.empty() ? "no" : "yes"}}),
                                             now});
    return SadGrant{custody::seal_sad(m_keys, sad.claims), m_config.csc.sad_seconds};
}

custody::SadClaims CscService::open_bound_sad(const std::string& account_id, const std::string& credential_id,
                                             const std::string& sad) {
    custody::SadClaims claims;
    try {
        claims = custody::open_sad(m_keys, sad);
    } catch (const Error& e) {
        if (e.code() == "custody.invalid_sad") csc_error(400, "invalid_request", "Invalid parameter SAD");
        throw;
    }
    // bound to this user and this credential (CSC §11.6)
    if (claims.account_id != account_id || claims.credential_id != credential_id)
        csc_error(400, "invalid_request", "Invalid parameter SAD");
    if (claims.expires_at <= m_clock.unix_seconds()) csc_error(400, "invalid_request", "SAD expired");
    return claims;
}

SadRecord CscService::bound_row(const custody::SadClaims& claims, std::int64_t now) {
    // No row: spent, expired (deleted) or replaced by extendTransaction.
    auto row = m_sessions.sad(claims.sad_id, now);
    if (!row || row->account_id != claims.account_id || row->credential_id != claims.credential_id)
        csc_error(400, "invalid_request", "Invalid parameter SAD");
    // the row must be the one the SAD was sealed over
    core::Bytes digest = row->hash_alg.empty() ? core::Bytes() : custody::bound_hashes_digest(bound_list(*row));
    if (digest != claims.hashes_digest) csc_error(400, "invalid_request", "Invalid parameter SAD");
    return *row;
}

SadGrant CscService::extend_transaction(const std::string& account_id, const std::string& credential_id,
                                        const std::string& sad, const std::vector<core::Bytes>& hashes,
                                        const std::string& hash_algorithm_oid) {
    accounts::Credential c = owned_credential(account_id, credential_id);
    custody::SadClaims claims = open_bound_sad(account_id, c.id, sad);
    bool hash_bound = m_config.csc.scal == 2;
    check_hashes(hashes, hash_algorithm_oid, hash_bound, "hashAlgorithmOID");
    for (int attempt = 0; attempt < kSadCasAttempts; ++attempt) {
        std::int64_t now = m_clock.unix_seconds();
        SadRecord row = bound_row(claims, now);
        std::string bound_alg;
        std::vector<core::Bytes> carried;
        int count = row.remaining;
        if (!row.hash_alg.empty()) {
            // SCAL2: only hashes the user authorised and that are not signed yet
            std::vector<core::Bytes> bound = bound_list(row);
            if (hashes.empty()) {
                for (std::size_t i = 0; i < bound.size(); ++i)
                    if (row.signed_mask.at(i) == 0) carried.push_back(bound[i]);
            } else if (hash_algorithm_oid != row.hash_alg || !take_bound(bound, row.signed_mask, hashes)) {
                csc_error(400, "invalid_request", "Hash is not authorized by the SAD");
            } else {
                carried = hashes;
            }
            bound_alg = row.hash_alg;
            count = static_cast<int>(carried.size());
        } else if (!hashes.empty()) {
            // SCAL1: binding hashes only narrows what the SAD may sign, within its remaining count
            if (static_cast<int>(hashes.size()) > row.remaining)
                csc_error(400, "invalid_request", "Numbers of signatures is too high");
            bound_alg = hash_algorithm_oid;
            carried = hashes;
            count = static_cast<int>(hashes.size());
        }
        if (count < 1) csc_error(400, "invalid_request", "Invalid parameter SAD");
        std::string id = new_sad_id();
        NewSad next = new_sad(id, c.id, account_id,
                              m_custody.reseal_for_sad(c.key, claims.token_share, row.row_share, row.sealed_key, row.id, id),
                              count, std::min(now + m_config.csc.sad_seconds, row.authorised_until),
                              row.authorised_until, bound_alg, carried);
        if (m_sessions.replace_sad(row.id, row.version, next.row, now,
                                   audit::Event{"csc:" + account_id, "csc.transaction.extended", "credential:" + c.id,
                                                audit::details({{"old_sad", row.id},
                                                                {"sad", id},
                                                                {"signatures", std::to_string(count)}}),
                                                now})) {
            m_custody.forget_sad_key(row.id);  // the old SAD is gone; the new one unwraps its own key
            return SadGrant{custody::seal_sad(m_keys, next.claims), static_cast<int>(next.row.expires_at - now)};
        }
    }
    csc_error(503, "temporarily_unavailable", "The SAD is being used by another request; try again");
}

SignedHashes CscService::sign_hashes(const std::string& account_id, const SignHashRequest& r) {
    accounts::Credential c = owned_credential(account_id, r.credential_id);
    if (r.hashes.empty()) csc_error(400, "invalid_request", "Missing (or invalid type) array parameter hashes");
    if (r.sad.empty()) csc_error(400, "invalid_request", "Missing (or invalid type) string parameter SAD");
    custody::SadClaims claims = open_bound_sad(account_id, c.id, r.sad);
    keystore::SignScheme scheme =
        resolve_scheme(c.key.key_type, r.sign_algo, r.hash_algorithm_oid, r.sign_algo_params, r.hash_field_name);
    for (const auto& h : r.hashes)
        if (h.size() != keystore::digest_size(scheme.hash)) csc_error(400, "invalid_request", "Invalid digest value length");
    if (static_cast<int>(r.hashes.size()) > claims.num_signatures)
        csc_error(400, "invalid_request", "Numbers of signatures is too high");
    if (!r.authorised_documents.empty() && r.authorised_documents.size() != r.hashes.size())
        csc_error(400, "invalid_request", "Hash is not authorized by the SAD");
    const auto& covered = r.authorised_documents.empty() ? r.hashes : r.authorised_documents;
    auto account = m_account_store.account_by_id(account_id);
    if (!account || account->status == "locked") csc_error(400, "invalid_request", "Credential locked");
    if (account->status != "active" || c.status != "active")
        csc_error(400, "invalid_request", "The credential identified by credentialID is disabled");
    auto cert = m_ca.find_certificate(c.certificate_serial);
    if (!cert || cert->status == "revoked")
        csc_error(400, "invalid_request", "The credential identified by credentialID is disabled");
    if (m_clock.unix_seconds() > cert->not_after) csc_error(400, "invalid_request", "Signing certificate is expired");

    // Take the signatures from the row (compare-and-swap), audited before the HSM is touched.
    const int n = static_cast<int>(r.hashes.size());
    std::optional<SadRecord> taken;
    for (int attempt = 0; attempt < kSadCasAttempts && !taken; ++attempt) {
        std::int64_t now = m_clock.unix_seconds();
        SadRecord row = bound_row(claims, now);
        SadRecord next = row;
        if (!row.hash_alg.empty()) {
            auto alg = hash_from_oid(row.hash_alg);
            if (!alg || *alg != scheme.hash) csc_error(400, "invalid_request", "Hash is not authorized by the SAD");
            auto mask = take_bound(bound_list(row), row.signed_mask, covered);
            if (!mask)
                csc_error(400, "invalid_request", r.authorised_documents.empty()
                                                      ? "Hash is not authorized by the SAD"
                                                      : "documentDigests or documents are not authorized by the SAD");
            next.signed_mask = *mask;
        }
        if (n > row.remaining) csc_error(400, "invalid_request", "Invalid parameter SAD");
        next.remaining = row.remaining - n;
        audit::Event consumed{"csc:" + account_id, "csc.sad.consumed", "credential:" + c.id,
                              audit::details({{"sad", row.id},
                                              {"count", std::to_string(n)},
                                              {"remaining", std::to_string(next.remaining)},
                                              {"sign_algo", r.sign_algo},
                                              {"hashes", hex_list(r.hashes)}}),
                              now};
        // the last signature deletes the row, and with it the row's half of the SAD's key
        bool ok = next.remaining == 0 ? m_sessions.delete_sad(row.id, row.version, now, consumed)
                                      : m_sessions.update_sad(next, now, consumed);
        if (ok) taken = std::move(row);
    }
    if (!taken) csc_error(503, "temporarily_unavailable", "The SAD is being used by another request; try again");

    auto after = [&](const char* action, const std::string& outcome) {
        return audit::Event{"csc:" + account_id, action, "credential:" + c.id,
                            audit::details({{"sad", taken->id}, {"count", std::to_string(n)}, {"outcome", outcome}}),
                            m_clock.unix_seconds()};
    };
    std::vector<core::Bytes> signatures;
    try {
        // #19: while the SAD has signatures left, its unwrapped key stays in the HSM until the SAD expires
        const bool lives_on = taken->remaining > n;
        signatures = m_custody.sign_for_sad(c.key, claims.token_share, taken->row_share, taken->sealed_key, taken->id,
                                            scheme, r.hashes, lives_on ? taken->expires_at : 0);
    } catch (const Error& e) {
        m_events.record_event(after("csc.signatures.failed", e.code()));
        throw;
    }
    // No signature leaves without its "created" event, the owner's notice of it (#16) and its transparency log leaves
    // (#18), written in one transaction: if that write fails, the request fails.
    const std::int64_t now = m_clock.unix_seconds();
    std::vector<transparency::NewLeaf> leaves;
    std::vector<core::Bytes> leaf_hashes;
    for (const auto& h : r.hashes) {
        transparency::KeyUse use{c.id, c.certificate_serial, hash_oid(scheme.hash), h, now, r.client, taken->id};
        leaves.push_back(transparency::new_leaf(account_id, transparency::leaf_data(use)));
        leaf_hashes.push_back(leaves.back().hash);
    }
    audit::Event created{"csc:" + account_id, "csc.signatures.created", "credential:" + c.id,
                         audit::details({{"sad", taken->id},
                                         {"count", std::to_string(n)},
                                         {"outcome", "ok"},
                                         {"log_leaves", hex_list(leaf_hashes)}}),
                         now};
    if (!account->email.empty())
        created.notices = {signing_notice(*account, c.certificate_serial, r.hashes, leaf_hashes, now, m_config)};
    std::vector<std::int64_t> indexes = m_log.record(leaves, created);
    return SignedHashes{std::move(signatures), std::move(indexes)};
}

int CscService::sweep_expired_sads() {
    const std::int64_t now = m_clock.unix_seconds();
    m_custody.forget_expired_sad_keys(now);
    return m_sessions.delete_expired_sads(now);
}

core::Bytes CscService::timestamp(const core::Bytes& hash, const std::string& hash_algorithm, const std::string& nonce) {
    std::string name;
    if (auto alg = hash_from_oid(hash_algorithm)) {
        name = *alg == keystore::HashAlg::Sha256 ? "SHA256" : *alg == keystore::HashAlg::Sha384 ? "SHA384" : "SHA512";
    } else {
        csc_error(400, "invalid_request", "Invalid parameter hashAlgo");
    }
    if (hash.empty()) csc_error(400, "invalid_request", "Missing (or invalid type) string parameter hash");
    try {
        return m_tsa.stamp_hash(hash, name, nonce);
    } catch (const Error& e) {
        if (e.code() == "tsa.bad_hash") csc_error(400, "invalid_request", "Invalid digest value length");
        if (e.code() == "tsa.bad_nonce") csc_error(400, "invalid_request", "Invalid parameter nonce");
        throw;
    }
}

}  // namespace yq::signing
