#pragma once
// The persistence the CA needs, declared by its consumer (step-ca style) and implemented in storage/. Every mutating
// call writes its audit event in the same transaction and fails as a whole if the audit write fails.
#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
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
// One revoked certificate as reserve_crl reads it (#19: streamed, never a list of a million strings). The views are
// valid only during the call that receives it.
struct RevokedRow {
    std::string_view serial;
    std::int64_t revoked_at = 0;
    std::string_view reason;
    std::optional<std::int64_t> invalidity_date;
};
using RevokedSink = std::function<void(const RevokedRow&)>;

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
    std::string certificate_status;  // the status it states ("valid", "revoked"); it is stored only while still true
};

// A CRL number reserved together with the revoked certificates it lists (read in the same transaction).

class CaStore : public virtual audit::EventRecorder {
public:
    virtual ~CaStore() = default;

    virtual void put_ca_material(const CaMaterial& m, const audit::Event& e) = 0;
    virtual std::optional<CaMaterial> ca_material(const std::string& name) = 0;

    virtual void insert_certificate(const CertificateRecord& r, const audit::Event& e) = 0;
    virtual std::optional<CertificateRecord> find_certificate(const std::string& serial) = 0;
    virtual std::vector<CertificateRecord> list_certificates(std::int64_t limit, std::int64_t offset) = 0;

    // Marks the certificate revoked, drops its stored OCSP response (no node serves the old "good" answer any more),
    // bumps the status epoch and audits — one short transaction with no signature inside (#14: the revoked answer and
    // the CRL are signed after it commits). Refused inside a unit of work ("audit.event_inside_unit_of_work"): it
    // must be committed before the HSM signs. Returns the revoked record. Throws "ca.already_revoked" /
    // "ca.unknown_serial".
    virtual CertificateRecord revoke_certificate(const std::string& serial, const std::string& reason,
                                                 std::int64_t revoked_at, std::optional<std::int64_t> invalidity_date,
                                                 const audit::Event& e) = 0;

    // A CRL in two short transactions around the CA's signature (#14): `reserve_crl` takes the next CRL number and
    // reads the revoked certificates (serial, revocation time, reason and invalidity date only), one by one into
    // `each`, in one transaction — so a revocation is in every CRL whose number is reserved after it commits, and a
    // higher number never lists fewer — and commits `before` (object and details filled in); it returns the number.
    // `store_crl` stores the signed CRL with `after`. `reserve_crl` is refused inside a unit of work. A number whose
    // signature failed is never used (RFC 5280 §5.2.3 asks for increasing numbers, not consecutive ones).
    virtual std::int64_t reserve_crl(const audit::Event& before, const RevokedSink& each) = 0;
    virtual void store_crl(const CrlRecord& crl, const audit::Event& after) = 0;
    virtual std::optional<CrlRecord> latest_crl() = 0;

    // Pre-signed OCSP responses are derived data: stored without an audit event, and only while the certificate
    // still has the status the response states (false: the status changed meanwhile; the answer is dropped).
    virtual bool put_ocsp_response(const OcspRecord& r) = 0;
    virtual std::optional<OcspRecord> ocsp_response(const std::string& serial) = 0;
    // Increases on every status change; nodes poll it to drop cached responses.
    virtual std::int64_t status_epoch() = 0;

    // Monotonic RFC 3161 serial numbers shared by every node, taken together with the latest genTime any node has put
    // in a token (#17): `gen_time_ms` raises it, and the value returned tells a node whose clock went back.
    struct TsaSerial {
        std::int64_t serial = 0;
        std::int64_t latest_gen_time_ms = 0;  // max(every genTime so far, gen_time_ms)
    };
    virtual TsaSerial next_tsa_serial(std::int64_t gen_time_ms) = 0;
};

}  // namespace yq::pki
