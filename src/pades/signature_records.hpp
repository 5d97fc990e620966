#pragma once
// The public record of each PDF signature made here (#16): what the QR code in a signature's appearance opens
// (`/verify?ref=REFERENCE`) — who signed, when, at which level, the digest that was signed, and the certificate's
// status now. One row per signed document, written in the transaction of its "document.signed" audit event; the
// document itself is never kept.
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "accounts/account.hpp"
#include "audit/event.hpp"
#include "core/bytes.hpp"
#include "core/clock.hpp"
#include "pki/ca_store.hpp"

namespace yq::pades {

struct SignatureRecord {
    std::string reference;  // random (96 bits), printed in the QR code's link
    std::string account_id;
    std::string credential_id;
    std::string certificate_serial;
    core::Bytes signed_digest;  // SHA-256 of the signature's byte ranges (the CMS messageDigest)
    std::string level;          // B-B, B-T, B-LT, B-LTA
    std::int64_t signed_at = 0;
    std::int64_t log_index = -1;  // its transparency log leaf (#18); -1 for records made before the log
};

class SignatureRecordStore : public virtual audit::EventRecorder {
public:
    virtual ~SignatureRecordStore() = default;
    // Stores the record and appends `e` in one transaction.
    virtual void record_signature(const SignatureRecord& r, const audit::Event& e) = 0;
    virtual std::optional<SignatureRecord> signature_by_reference(const std::string& reference) = 0;
};

// A record as the public sees it: the signer as the appearance names them, and the certificate's status now.
struct PublicSignatureRecord {
    SignatureRecord record;
    std::string signer_name, agency, title;
    std::string certificate_status;  // valid | revoked | expired
    std::int64_t certificate_not_after = 0;
    std::int64_t revoked_at = 0;
    std::string revocation_reason;
};

// One signature in its signer's history, from the account's "document.signed" audit event.
struct SignedDocument {
    std::int64_t signed_at = 0;
    std::string level;              // B-B … B-LTA
    std::string reference;          // the public record's reference
    std::string signed_digest_hex;  // what a validator recomputes from the file
};

// The signature records: a reference looked up for the public record page, and a signer's own history.
class SignatureRegister {
public:
    SignatureRegister(SignatureRecordStore& records, accounts::AccountStore& accounts, pki::CaStore& ca_store,
                      audit::AuditReader& audit, const core::Clock& clock)
        : m_records(records), m_accounts(accounts), m_ca_store(ca_store), m_audit(audit), m_clock(clock) {}

    // References that are not ours give nothing (404 at the edge).
    std::optional<PublicSignatureRecord> find(const std::string& reference);
    // The documents `username` signed, newest first, at most `limit` (the portal's history page).
    std::vector<SignedDocument> signed_by(const std::string& username, int limit = 100);

private:
    SignatureRecordStore& m_records;
    accounts::AccountStore& m_accounts;
    pki::CaStore& m_ca_store;
    audit::AuditReader& m_audit;
    const core::Clock& m_clock;
};

}  // namespace yq::pades
