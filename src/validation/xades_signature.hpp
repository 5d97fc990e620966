#pragma once
// An enveloped XAdES-B-B signature (ETSI EN 319 132-1) over an XML document, made with a key the HSM holds: XML-DSig
// (exclusive canonicalisation, SHA-256, ECDSA or RSA) by Debian's libxmlsec1 with its OpenSSL backend, a Reference to
// the whole document (enveloped-signature transform) and one to the XAdES SignedProperties (SigningTime,
// SigningCertificateV2), and KeyInfo with the signer's certificate and its issuer. Used for the ETSI TS 119 102-2
// validation report, whose schema allows a ds:Signature as the root's last child.
// Error style: throws yq::Error "validation.xml_signing_failed" (500) when libxmlsec1 cannot sign.
#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include "core/bytes.hpp"

namespace yq::validation {

// The HSM's signature over a SHA-256 digest, as XML-DSig carries it (ECDSA: R ‖ S, RFC 4051 §3.3; RSA: PKCS#1 v1.5).
using DigestSigner = std::function<core::Bytes(const core::Bytes& sha256)>;

// `xml`: a document whose root element is closed by its last line; `ecdsa`: the key's kind (else RSA); `chain`: the
// signing certificate first (DER). libxmlsec1 canonicalises and digests; the SignatureValue is `sign`'s over the
// canonical SignedInfo (libxmlsec1 1.2.37 cannot sign with an HSM EC key held through OpenSSL's legacy EC_KEY_METHOD:
// it reads the curve order through OpenSSL 3's parameter API, which such keys do not answer). Returns the document with the signature as the root's
// last child.
std::string xades_sign(const std::string& xml, bool ecdsa, const DigestSigner& sign, const std::vector<core::Bytes>& chain,
                       std::int64_t signing_time);

}  // namespace yq::validation
