#pragma once
// The persistence the CA needs, declared by its consumer (step-ca style) and implemented in storage/. Every mutating
// call writes its audit event in the same transaction and fails as a whole if the audit write fails.
#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "audit/event.hpp"
#include "core/bytes.hpp"

namespace yq::pki {

struct CaMaterial {
    std::string name;  // "root", "issuing", "ocsp", "tsa", "audit"
    core::Bytes certificate_der;
    std::string key_label;
};

struct CertificateRecord {
    std::string serial;  // lowercase hex
    std::string profile;
    std::string subject;
    std::int64_t not_before = 0;
    std::int64_t not_after = 0;
    core::Bytes der;
    std::string status = "valid";  // valid | revoked
    std::optional<std::int64_t> revoked_at;
    std::string reason;  // RFC 5280 §5.3.1 name
    std::optional<std::int64_t> invalidity_date;
};

// What a CRL entry needs (RFC 5280 §5.1.2.6 and §5.3).
struct RevokedEntry {
    std::string serial;
    std::int64_t revoked_at = 0;
    std::string reason;
    std::optional<std::int64_t> invalidity_date;
};

struct CrlRecord {
    std::int64_t number = 0;
    std::int64_t this_update = 0;
    std::int64_t next_update = 0;
    core::Bytes der;
};

struct OcspRecord {
    std::string serial;
    std::int64_t this_update = 0;
    std::int64_t next_update = 0;
    core::Bytes der;  // a complete OCSPResponse, pre-signed
};

class CaStore : public virtual audit::EventRecorder {
public:
    virtual ~CaStore() = default;

    virtual void put_ca_material(const CaMaterial& m, const audit::Event& e) = 0;
    virtual std::optional<CaMaterial> ca_material(const std::string& name) = 0;

    virtual void insert_certificate(const CertificateRecord& r, const audit::Event& e) = 0;
    virtual std::optional<CertificateRecord> find_certificate(const std::string& serial) = 0;
    virtual std::vector<CertificateRecord> list_certificates(std::int64_t limit, std::int64_t offset) = 0;

    // Marks the certificate revoked, stores the freshly signed OCSP response that `sign_response` builds from the
    // updated record, bumps the status epoch and audits — one transaction. Throws "ca.already_revoked" /
    // "ca.unknown_serial".
    virtual void revoke_certificate(const std::string& serial, const std::string& reason, std::int64_t revoked_at,
                                    std::optional<std::int64_t> invalidity_date,
                                    const std::function<OcspRecord(const CertificateRecord&)>& sign_response,
                                    const audit::Event& e) = 0;

    // Reserves the next CRL number, reads the revoked certificates (serial, revocation time, reason and invalidity date
    // only) and builds the CRL with `build` inside one transaction (so no revocation can fall between), stores it,
    // audited.
    using CrlBuilder = std::function<CrlRecord(std::int64_t number, const std::vector<RevokedEntry>& revoked)>;
    virtual CrlRecord publish_crl(const CrlBuilder& build, const audit::Event& e) = 0;
    virtual std::optional<CrlRecord> latest_crl() = 0;

    // Pre-signed OCSP responses are derived data: stored without an audit event.
    virtual void put_ocsp_response(const OcspRecord& r) = 0;
    virtual std::optional<OcspRecord> ocsp_response(const std::string& serial) = 0;
    // Increases on every status change; nodes poll it to drop cached responses.
    virtual std::int64_t status_epoch() = 0;

    // Monotonic RFC 3161 serial numbers shared by every node.
    virtual std::int64_t next_tsa_serial() = 0;
};

}  // namespace yq::pki
