#pragma once
// CAdES detached signatures (CMS SignedData, RFC 5652) whose private key is elsewhere: we build the signed
// attributes, the caller signs their digest through the key's owner (custody/CSC), and we assemble the SignedData.
// Signed attributes: content-type = id-data, message-digest, ESS signing-certificate-v2 (RFC 5035) — and no
// signing-time (EN 319 142-1 / PAdES baseline: the claimed time goes in the PDF's /M).
// Error style: throws yq::Error "cms.*".
#include <functional>
#include <memory>
#include <vector>

#include "core/bytes.hpp"
#include "pki/openssl_ptr.hpp"

namespace yq::cms {

// Supported digest: SHA-256 (the CSC hashAlgorithmOID 2.16.840.1.101.3.4.2.1).
inline constexpr const char* kSha256Oid = "2.16.840.1.101.3.4.2.1";

class CadesSignature {
public:
    // `content_sha256` is the SHA-256 of the detached content (a PDF's ByteRange bytes, a file).
    CadesSignature(X509* signer, const std::vector<X509*>& chain, const core::Bytes& content_sha256);
    ~CadesSignature();
    CadesSignature(const CadesSignature&) = delete;
    CadesSignature& operator=(const CadesSignature&) = delete;

    // RFC 5652 §5.4: the digest the signer signs is over the DER of the signed attributes as a SET OF (tag 0x31).
    const core::Bytes& to_be_signed_digest() const { return m_tbs_digest; }
    // The signature algorithm OID the signer must use (ecdsa-with-SHA256, sha256WithRSAEncryption).
    const std::string& signature_algorithm_oid() const { return m_sign_algo_oid; }

    // Puts the signature value (ECDSA as DER SEQUENCE{r,s}; RSA PKCS#1 v1.5) in and returns the ContentInfo DER.
    core::Bytes finish(const core::Bytes& signature_value);

private:
    struct Impl;
    std::unique_ptr<Impl> m_impl;
    core::Bytes m_tbs_digest;
    std::string m_sign_algo_oid;
};

// B-T: adds the signature-time-stamp unsigned attribute (id-aa-timeStampToken, RFC 3161 Appendix A) whose imprint is
// SHA-256 of the SignerInfo's signature value. `stamp` returns a TimeStampToken (ContentInfo DER) for a SHA-256 hash.
core::Bytes add_signature_timestamp(const core::Bytes& cms_der,
                                    const std::function<core::Bytes(const core::Bytes& sha256)>& stamp);

// B-LT (EN 319 122-1 §5.5.2, RFC 5126 §6.3.3–6.3.4): the certificate-values and revocation-values unsigned
// attributes, so the signature can be validated without fetching anything. `ocsp_responses` are complete
// OCSPResponse DERs (their BasicOCSPResponse is stored), `crls` CertificateList DERs.
core::Bytes add_validation_values(const core::Bytes& cms_der, const std::vector<core::Bytes>& certificates,
                                  const std::vector<core::Bytes>& crls, const std::vector<core::Bytes>& ocsp_responses);

// The signature value of the (single) SignerInfo.
core::Bytes signature_value(const core::Bytes& cms_der);

}  // namespace yq::cms
