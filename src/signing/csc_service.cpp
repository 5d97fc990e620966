#include "signing/csc_service.hpp"

#include <algorithm>
#include <ctime>
#include <set>

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

}  // namespace

CscService::Token CscService::login(const std::string& username, const core::SecureString& password) {
    accounts::Account a;
    try {
        a = m_accounts.authenticate(username, password);
    } catch (const Error& e) {
        if (e.code() == "accounts.authentication_failed" || e.code() == "accounts.disabled")
            csc_error(400, "authentication_error", "An error occurred during authentication process");
        throw;
    }
    std::string token = core::random_token(32);
    std::int64_t now = m_clock.unix_seconds();
    m_sessions.put_token(token_hash(token), a.id, now + m_config.csc.access_token_seconds,
                         audit::Event{"csc:" + a.id, "account.signed_in", "account:" + a.username,
                                      audit::details({{"channel", "csc"}}), now});
    return Token{token, m_config.csc.access_token_seconds};
}

void CscService::revoke(const std::string& account_id, const std::string& token) {
    m_sessions.revoke_token(token_hash(token), audit::Event{"csc:" + account_id, "account.token_revoked",
                                                            "account:" + account_id, "{}", m_clock.unix_seconds()});
}

std::string CscService::account_for_token(const std::string& token) {
    if (token.empty() || token.size() > 512) csc_error(401, "invalid_token", "The token provided is not a valid OAuth access or refresh token.");
    auto account = m_sessions.token_account(token_hash(token), m_clock.unix_seconds());
    if (!account) csc_error(401, "invalid_token", "The token provided is not a valid OAuth access or refresh token.");
    return *account;
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
    auto cert = m_ca.store().find_certificate(c.certificate_serial);
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
    accounts::SigningAuthorisation auth =
        m_accounts.authorise_signing(account_id, c.id, r.pin, r.otp, "csc:" + account_id);

    std::int64_t now = m_clock.unix_seconds();
    custody::SadClaims claims;
    claims.sad_id = "sad_" + core::random_token(16);
    claims.credential_id = c.id;
    claims.account_id = account_id;
    claims.k_user = std::move(auth.k_user);
    claims.expires_at = now + m_config.csc.sad_seconds;
    claims.num_signatures = r.num_signatures;
    SadRecord row{claims.sad_id, c.id, account_id, r.num_signatures, claims.expires_at, "", {}};
    if (!r.hashes.empty()) {
        claims.hashes_digest = custody::bound_hashes_digest(r.hashes);
        row.hash_alg = r.hash_algorithm_oid;
        row.hashes = concat(r.hashes);
    }
    m_sessions.put_sad(row, audit::Event{"csc:" + account_id, "csc.credential.authorized", "credential:" + c.id,
                                         audit::details({{"sad", claims.sad_id},
                                                         {"signatures", std::to_string(r.num_signatures)},
                                                         {"hash_bound", r.hashes.empty() ? "no" : "yes"}}),
                                         now});
    return SadGrant{custody::seal_sad(m_keys, claims), m_config.csc.sad_seconds};
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

SadGrant CscService::extend_transaction(const std::string& account_id, const std::string& credential_id,
                                        const std::string& sad, const std::vector<core::Bytes>& hashes,
                                        const std::string& hash_algorithm_oid) {
    accounts::Credential c = owned_credential(account_id, credential_id);
    custody::SadClaims claims = open_bound_sad(account_id, c.id, sad);
    std::int64_t now = m_clock.unix_seconds();
    auto row = m_sessions.sad(claims.sad_id);
    if (!row || row->remaining < 1) csc_error(400, "invalid_request", "Invalid parameter SAD");
    bool hash_bound = m_config.csc.scal == 2;
    check_hashes(hashes, hash_algorithm_oid, hash_bound, "hashAlgorithmOID");
    if (hash_bound && static_cast<int>(hashes.size()) > row->remaining)
        csc_error(400, "invalid_request", "Numbers of signatures is too high");
    custody::SadClaims fresh = claims;
    fresh.sad_id = "sad_" + core::random_token(16);
    fresh.expires_at = now + m_config.csc.sad_seconds;
    SadRecord replacement{fresh.sad_id, c.id, account_id, row->remaining, fresh.expires_at, "", {}};
    if (!hashes.empty()) {
        fresh.hashes_digest = custody::bound_hashes_digest(hashes);
        replacement.hash_alg = hash_algorithm_oid;
        replacement.hashes = concat(hashes);
    } else {
        fresh.hashes_digest.clear();
    }
    if (!m_sessions.replace_sad(claims.sad_id, replacement, now,
                                audit::Event{"csc:" + account_id, "csc.transaction.extended", "credential:" + c.id,
                                             audit::details({{"old_sad", claims.sad_id}, {"sad", fresh.sad_id}}), now}))
        csc_error(400, "invalid_request", "Invalid parameter SAD");
    return SadGrant{custody::seal_sad(m_keys, fresh), m_config.csc.sad_seconds};
}

std::vector<core::Bytes> CscService::sign_hash(const std::string& account_id, const SignHashRequest& r) {
    accounts::Credential c = owned_credential(account_id, r.credential_id);
    if (r.hashes.empty()) csc_error(400, "invalid_request", "Missing (or invalid type) array parameter hashes");
    if (r.sad.empty()) csc_error(400, "invalid_request", "Missing (or invalid type) string parameter SAD");
    custody::SadClaims claims = open_bound_sad(account_id, c.id, r.sad);
    std::int64_t now = m_clock.unix_seconds();
    keystore::SignScheme scheme =
        resolve_scheme(c.key.key_type, r.sign_algo, r.hash_algorithm_oid, r.sign_algo_params, r.hash_field_name);
    for (const auto& h : r.hashes)
        if (h.size() != keystore::digest_size(scheme.hash)) csc_error(400, "invalid_request", "Invalid digest value length");
    if (static_cast<int>(r.hashes.size()) > claims.num_signatures)
        csc_error(400, "invalid_request", "Numbers of signatures is too high");
    auto row = m_sessions.sad(claims.sad_id);
    if (!row) csc_error(400, "invalid_request", "Invalid parameter SAD");
    if (!claims.hashes_digest.empty()) {
        auto alg = hash_from_oid(row->hash_alg);
        std::vector<core::Bytes> bound = split(row->hashes, alg ? keystore::digest_size(*alg) : 0);
        // the row must be the one the SAD was sealed over
        if (custody::bound_hashes_digest(bound) != claims.hashes_digest) csc_error(400, "invalid_request", "Invalid parameter SAD");
        if (!alg || *alg != scheme.hash) csc_error(400, "invalid_request", "Hash is not authorized by the SAD");
        std::set<core::Bytes> allowed(bound.begin(), bound.end());
        const auto& covered = r.authorised_documents.empty() ? r.hashes : r.authorised_documents;
        if (!r.authorised_documents.empty() && r.authorised_documents.size() != r.hashes.size())
            csc_error(400, "invalid_request", "Hash is not authorized by the SAD");
        for (const auto& h : covered)
            if (!allowed.count(h))
                csc_error(400, "invalid_request", r.authorised_documents.empty()
                                                      ? "Hash is not authorized by the SAD"
                                                      : "documentDigests or documents are not authorized by the SAD");
    }
    auto account = m_account_store.account_by_id(account_id);
    if (!account || account->status == "locked") csc_error(400, "invalid_request", "Credential locked");
    if (account->status != "active" || c.status != "active")
        csc_error(400, "invalid_request", "The credential identified by credentialID is disabled");
    auto cert = m_ca.store().find_certificate(c.certificate_serial);
    if (!cert || cert->status == "revoked")
        csc_error(400, "invalid_request", "The credential identified by credentialID is disabled");
    if (now > cert->not_after) csc_error(400, "invalid_request", "Signing certificate is expired");

    std::string hashes_hex;
    for (const auto& h : r.hashes) hashes_hex += (hashes_hex.empty() ? "" : ",") + core::hex_encode(h);
    if (!m_sessions.consume_sad(claims.sad_id, static_cast<int>(r.hashes.size()), now,
                                audit::Event{"csc:" + account_id, "csc.signatures.created", "credential:" + c.id,
                                             audit::details({{"sad", claims.sad_id},
                                                             {"count", std::to_string(r.hashes.size())},
                                                             {"sign_algo", r.sign_algo},
                                                             {"hashes", hashes_hex}}),
                                             now}))
        csc_error(400, "invalid_request", now >= row->expires_at ? "SAD expired" : "Invalid parameter SAD");
    return m_custody.sign(c.key, claims.k_user, scheme, r.hashes);
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
