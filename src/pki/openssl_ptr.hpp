#pragma once
// RAII owners for every OpenSSL object yunqian uses, declared once (conventions: "live once in pki/openssl_ptr.hpp").
#include <openssl/asn1.h>
#include <openssl/bio.h>
#include <openssl/bn.h>
#include <openssl/evp.h>
#include <openssl/ocsp.h>
#include <openssl/ts.h>
#include <openssl/x509.h>
#include <openssl/x509v3.h>

#include <memory>
#include <string>

#include "core/bytes.hpp"

namespace yq::pki {

template <class T, void (*F)(T*)>
struct OsslDeleter {
    void operator()(T* p) const noexcept { F(p); }
};
template <class T, void (*F)(T*)>
using OsslPtr = std::unique_ptr<T, OsslDeleter<T, F>>;

using X509Ptr = OsslPtr<X509, X509_free>;
using X509ReqPtr = OsslPtr<X509_REQ, X509_REQ_free>;
using X509CrlPtr = OsslPtr<X509_CRL, X509_CRL_free>;
using X509NamePtr = OsslPtr<X509_NAME, X509_NAME_free>;
using X509ExtPtr = OsslPtr<X509_EXTENSION, X509_EXTENSION_free>;
using X509RevokedPtr = OsslPtr<X509_REVOKED, X509_REVOKED_free>;
using EvpPkeyPtr = OsslPtr<EVP_PKEY, EVP_PKEY_free>;
using BioPtr = OsslPtr<BIO, BIO_free_all>;
using BignumPtr = OsslPtr<BIGNUM, BN_free>;
using Asn1IntegerPtr = OsslPtr<ASN1_INTEGER, ASN1_INTEGER_free>;
using Asn1TimePtr = OsslPtr<ASN1_TIME, ASN1_TIME_free>;
using Asn1ObjectPtr = OsslPtr<ASN1_OBJECT, ASN1_OBJECT_free>;
using OcspRequestPtr = OsslPtr<OCSP_REQUEST, OCSP_REQUEST_free>;
using OcspResponsePtr = OsslPtr<OCSP_RESPONSE, OCSP_RESPONSE_free>;
using OcspBasicPtr = OsslPtr<OCSP_BASICRESP, OCSP_BASICRESP_free>;
using OcspCertIdPtr = OsslPtr<OCSP_CERTID, OCSP_CERTID_free>;
using TsRequestPtr = OsslPtr<TS_REQ, TS_REQ_free>;
using TsResponsePtr = OsslPtr<TS_RESP, TS_RESP_free>;
using TsRespCtxPtr = OsslPtr<TS_RESP_CTX, TS_RESP_CTX_free>;
using StackX509Ptr = std::unique_ptr<STACK_OF(X509), void (*)(STACK_OF(X509)*)>;

// The OpenSSL error queue as text (and cleared), for operator-facing messages.
std::string openssl_errors();

core::Bytes to_der(X509* cert);
core::Bytes to_der(X509_CRL* crl);
X509Ptr certificate_from_der(const core::Bytes& der);  // throws "pki.bad_certificate"
// A DER SubjectPublicKeyInfo as an OpenSSL key; nullptr when it is not one (callers say what that means to them).
EvpPkeyPtr public_key_from_der(const core::Bytes& spki);
// True when `signature` is `key`'s signature with digest `md` over the bytes (ECDSA as a DER Ecdsa-Sig-Value, RFC 3279
// §2.2.3). A signature that does not verify leaves no OpenSSL error behind.
bool signature_verifies(EVP_PKEY* key, const EVP_MD* md, const std::uint8_t* data, std::size_t size,
                        const core::Bytes& signature);
std::string to_pem(X509* cert);
std::vector<core::Bytes> certificates_from_pem(const std::string& pem);  // every CERTIFICATE block, as DER
std::string serial_hex(const ASN1_INTEGER* serial);  // lowercase, no leading zero bytes stripped beyond DER's
std::string name_text(const X509_NAME* name);        // RFC 2253 form
// "/C=MO/O=Agency/CN=Name" → X509_NAME (UTF-8). Throws "pki.bad_name".
X509NamePtr parse_name(const std::string& slash_form);

}  // namespace yq::pki
