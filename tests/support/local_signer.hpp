#pragma once
// A signing key and self-signed certificate held by the test itself — a stand-in for the remote signer in tests of
// the pieces that only see digests and signatures (CMS, PAdES). End-to-end tests use the real CSC path instead.
#include <cstdint>
#include <string>

#include "core/bytes.hpp"
#include "pki/openssl_ptr.hpp"

namespace yq::test {

struct LocalSigner {
    pki::EvpPkeyPtr key;
    pki::X509Ptr cert;     // end entity: keyUsage digitalSignature + nonRepudiation
    pki::EvpPkeyPtr ca_key;
    pki::X509Ptr ca_cert;  // self-signed, the trust anchor to give verifiers
};

// The end entity's validity, in seconds from now (the CA's is ten days either side of now).
struct Validity {
    long not_before = -3600;
    long not_after = 86400;
};

// "EC" (P-256) or "RSA" (2048) signer under a fresh test CA; CN may be UTF-8.
LocalSigner make_local_signer(const std::string& type, const std::string& common_name = "陳大文 Chan",
                              Validity validity = {});
// A CRL of the signer's CA (RFC 5280 §5) issued `issued_at`, listing the end entity as revoked at `revoked_at`
// (or nothing when `revoked_at` is 0).
core::Bytes make_crl(const LocalSigner& signer, std::int64_t issued_at, std::int64_t revoked_at);
// What a remote signer does with a digest: RSA PKCS#1 v1.5 with DigestInfo (SHA-256), or ECDSA as DER.
core::Bytes sign_digest(EVP_PKEY* key, const core::Bytes& digest);

}  // namespace yq::test
