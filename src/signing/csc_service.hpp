#pragma once
// The CSC API's service logic (v2 model; web/ adapts v1 and v2 bodies onto it). Bearer tokens, credential discovery,
// authorisation into SADs bound to user, credential, count and (SCAL2) hashes, and signHash through key custody.
// Error style: throws yq::Error — "csc.*" with the spec's descriptions, or "accounts.*" which web/ maps per dialect.
#include <functional>
#include <string>
#include <vector>

#include "accounts/account_service.hpp"
#include "custody/sad.hpp"
#include "pki/time_stamp_authority.hpp"
#include "signing/session_store.hpp"
#include "transparency/signing_log.hpp"

namespace yq::signing {

struct AuthorizeRequest {
    std::string credential_id;
    int num_signatures = 0;
    std::vector<core::Bytes> hashes;
    std::string hash_algorithm_oid;
    core::SecureString pin;  // the signing password
    std::string otp;
};

struct SignHashRequest {
    std::string credential_id;
    std::string sad;
    std::vector<core::Bytes> hashes;
    std::string hash_algorithm_oid;
    std::string sign_algo;
    core::Bytes sign_algo_params;
    std::string hash_field_name = "hashAlgorithmOID";  // v1 calls it hashAlgo
    // signDoc: the SAD was authorised for these digests of the documents (SCAL2), and this server derives `hashes`
    // (e.g. the signed attributes of a PAdES signature) from them. Empty: the SAD must cover `hashes` themselves.
    std::vector<core::Bytes> authorised_documents;
    // Who asked, as the transparency log records it (#18): "csc/v2", "csc/v1", "portal", "api".
    std::string client = "csc/v2";
};

// The signatures of one signHash call and the transparency log leaves that record them (#18), one per hash.
struct SignedHashes {
    std::vector<core::Bytes> signatures;
    std::vector<std::int64_t> log_indexes;
};

struct SadGrant {
    std::string sad;
    int expires_in = 0;
};

struct CredentialInfo {
    std::string id;
    std::string key_status;  // enabled | disabled
    std::vector<std::string> algorithms;
    int key_bits = 0;
    std::string curve;
    std::string cert_status;  // valid | expired | revoked
    std::vector<core::Bytes> chain;  // end-entity first
    std::string issuer_dn, subject_dn, serial_hex, valid_from, valid_to;  // YYYYMMDDHHMMSSZ
    int multisign = 1;
    int scal = 2;
    bool otp_required = true;
    std::string description;
};

class CscService {
public:
    CscService(const core::Config& config, accounts::AccountService& accounts, accounts::AccountStore& account_store,
               SessionStore& sessions, audit::EventRecorder& events, custody::KeyCustody& custody,
               pki::CertificateAuthority& ca, pki::TimeStampAuthority& tsa, keystore::Keystore& keys,
               transparency::SigningLog& log, const core::Clock& clock)
        : m_config(config), m_accounts(accounts), m_account_store(account_store), m_sessions(sessions),
          m_events(events), m_custody(custody), m_ca(ca), m_tsa(tsa), m_keys(keys), m_log(log), m_clock(clock) {}

    struct Token {
        std::string access_token;
        int expires_in = 0;
    };
    // CSC auth/login: the login password only (CSC has no field for a code), so the token does not open the portal.
    Token login(const std::string& username, const core::SecureString& password);
    // The portal's sign-in: the login password, then `second_factor` (the account's code, its step used up); the
    // token is marked as proven with both. Throws 400 authentication_error for either failing (one answer).
    Token login_with_second_factor(const std::string& username, const core::SecureString& password,
                                   const std::function<bool(const accounts::Account&)>& second_factor);
    void revoke(const std::string& account_id, const std::string& token);
    // The account behind a bearer token; throws 401 invalid_token.
    std::string account_for_token(const std::string& token);
    // The same for the portal's session (#14): the token must have proven the second factor, unless the account has
    // none to prove (OTP not required, or no authenticator enrolled yet: the session can only enrol one).
    std::string account_for_session(const std::string& token);
    // The owner proved a code on this session (enrolling the first authenticator): it now counts as two-factor.
    void confirm_second_factor(const std::string& account_id, const std::string& token);

    std::vector<std::string> list_credentials(const std::string& account_id, bool only_valid);
    CredentialInfo credential_info(const std::string& account_id, const std::string& credential_id);
    SadGrant authorize(const std::string& account_id, const AuthorizeRequest& request);
    // CSC v2 §11.8. The new SAD may carry only still-unsigned members of the old SAD's bound list (SCAL2), never
    // outlives the first authorisation's expiry, and takes its count from the old row atomically (the old SAD dies).
    SadGrant extend_transaction(const std::string& account_id, const std::string& credential_id, const std::string& sad,
                                const std::vector<core::Bytes>& hashes, const std::string& hash_algorithm_oid);
    // Audited around the HSM: "csc.sad.consumed" (with the hashes) commits before the key is used, then
    // "csc.signatures.created" or "csc.signatures.failed"; no signature is returned without its "created" event and,
    // in the same transaction, its transparency log leaves (#18).
    SignedHashes sign_hashes(const std::string& account_id, const SignHashRequest& request);
    std::vector<core::Bytes> sign_hash(const std::string& account_id, const SignHashRequest& request) {
        return sign_hashes(account_id, request).signatures;
    }
    // Deletes the rows of expired SADs (with them the row halves of their keys); the server runs it periodically.
    int sweep_expired_sads();
    core::Bytes timestamp(const core::Bytes& hash, const std::string& hash_algorithm, const std::string& nonce);

private:
    // The live token's session; throws 401 invalid_token.
    TokenSession live_session(const std::string& token);
    // Opens a SAD and checks it is bound to this account and credential and still live (not the count: the database).
    custody::SadClaims open_bound_sad(const std::string& account_id, const std::string& credential_id,
                                      const std::string& sad);
    // The live row of a SAD, checked to be the one the token was sealed over; throws "Invalid parameter SAD".
    SadRecord bound_row(const custody::SadClaims& claims, std::int64_t now);
    accounts::Credential owned_credential(const std::string& account_id, const std::string& credential_id);
    void check_hashes(const std::vector<core::Bytes>& hashes, const std::string& hash_oid, bool required,
                      const char* hash_field);

    const core::Config& m_config;
    accounts::AccountService& m_accounts;
    accounts::AccountStore& m_account_store;
    SessionStore& m_sessions;
    audit::EventRecorder& m_events;
    custody::KeyCustody& m_custody;
    pki::CertificateAuthority& m_ca;
    pki::TimeStampAuthority& m_tsa;
    keystore::Keystore& m_keys;
    transparency::SigningLog& m_log;
    const core::Clock& m_clock;
};

}  // namespace yq::signing
