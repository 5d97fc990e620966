#pragma once
// RFC 6960 OCSP responder. Responses for issued certificates are pre-signed (SHA-1 CertID, no nonce — what relying
// parties send by default) and cached until they near their nextUpdate, so the hot path is a map lookup; requests with a
// nonce, several CertIDs or another CertID hash are signed on demand. Never throws for bad input: a malformed request
// gets a malformedRequest response (RFC 6960 §2.3).
#include <atomic>
#include <memory>
#include <shared_mutex>
#include <string>
#include <unordered_map>

#include "pki/certificate_authority.hpp"

namespace yq::pki {

class OcspResponder {
public:
    explicit OcspResponder(CertificateAuthority& ca);

    // Signs a complete "successful" OCSPResponse for one certificate's current status (used for pre-signing and by
    // CertificateAuthority::revoke).
    static OcspRecord presign(CertificateAuthority& ca, const CertificateRecord& record);

    core::Bytes respond(const core::Bytes& request_der);
    // Drops cached responses when another node or process changed a certificate status. Called on a timer.
    void refresh_if_status_changed();

    std::uint64_t cache_hits() const { return m_hits.load(); }
    std::uint64_t signed_on_demand() const { return m_signed.load(); }

private:
    static core::Bytes sign_basic(CertificateAuthority& ca, OCSP_BASICRESP* basic);
    std::shared_ptr<const OcspRecord> cached(const std::string& serial);
    std::shared_ptr<const OcspRecord> presigned(const std::string& serial);
    core::Bytes sign_on_demand(OCSP_REQUEST* request);

    CertificateAuthority& m_ca;
    std::shared_mutex m_mutex;
    std::unordered_map<std::string, std::shared_ptr<const OcspRecord>> m_cache;
    std::int64_t m_epoch = -1;
    core::Bytes m_issuer_name_hash_sha1, m_issuer_key_hash_sha1;
    std::atomic<std::uint64_t> m_hits{0}, m_signed{0};
};

// A minimal response with only a status (malformedRequest, internalError, unauthorized …).
core::Bytes ocsp_error_response(int status);

}  // namespace yq::pki
