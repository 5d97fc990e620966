// Self-tests of the OCSP responder and the TSA (see service_self_test.hpp).
#include "validation/service_self_test.hpp"

#include <openssl/err.h>
#include <openssl/ocsp.h>
#include <openssl/rand.h>

#include <chrono>
#include <cstdlib>

#include "core/error.hpp"
#include "pki/openssl_ptr.hpp"
#include "validation/checks.hpp"
#include "validation/revocation_evidence.hpp"

namespace yq::validation {

namespace {

core::Bytes material(pki::CertificateAuthority& ca, const char* name) {
    auto m = ca.ca_material(name);
    if (!m) throw Error("ca.not_initialised", 503, std::string("the CA has no ") + name + " certificate");
    return m->certificate_der;
}

// Times `test` and turns its exceptions into a failed result.
template <class Test>
SelfTestResult timed(Test test) {
    auto start = std::chrono::steady_clock::now();
    SelfTestResult r;
    try {
        r = test();
    } catch (const std::exception& e) {
        r.ok = false;
        r.detail = e.what();
    }
    ERR_clear_error();
    r.milliseconds = std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - start).count();
    return r;
}

}  // namespace

SelfTestResult ocsp_self_test(pki::CertificateAuthority& ca, pki::OcspResponder& ocsp, std::int64_t now) {
    return timed([&] {
        // The TSA's certificate is one the issuing CA issued and must stay good: ask about it.
        auto subject = pki::certificate_from_der(material(ca, "tsa"));
        auto issuer = pki::certificate_from_der(material(ca, "issuing"));
        auto root = pki::certificate_from_der(material(ca, "root"));
        pki::OsslPtr<OCSP_REQUEST, OCSP_REQUEST_free> request(OCSP_REQUEST_new());
        OCSP_CERTID* id = OCSP_cert_to_id(EVP_sha1(), subject.get(), issuer.get());
        if (!request || !id || !OCSP_request_add0_id(request.get(), id)) throw Error("ocsp.self_test", 500, "cannot build the OCSP request");
        unsigned char* der = nullptr;
        int len = i2d_OCSP_REQUEST(request.get(), &der);
        if (len <= 0) throw Error("ocsp.self_test", 500, "cannot encode the OCSP request");
        core::Bytes request_der(der, der + len);
        OPENSSL_free(der);

        EmbeddedEvidence evidence;
        evidence.ocsp_responses.push_back(ocsp.respond(request_der));
        pki::OsslPtr<X509_STORE, X509_STORE_free> store(X509_STORE_new());
        X509_STORE_add_cert(store.get(), root.get());
        // the stack only; the certificates belong to their X509Ptr
        pki::StackX509Ptr untrusted(sk_X509_new_null(), [](STACK_OF(X509)* s) { sk_X509_free(s); });
        sk_X509_push(untrusted.get(), issuer.get());
        auto status = embedded_status(subject.get(), issuer.get(), evidence, store.get(), untrusted.get(), now);
        SelfTestResult r;
        if (!status) {
            r.detail = "the responder's answer does not verify to our root or is not fresh";
        } else {
            r.ok = status->status == "good";
            r.detail = "signed answer verified to the root; the TSA certificate is " + status->status;
        }
        return r;
    });
}

SelfTestResult tsa_self_test(pki::CertificateAuthority& ca, pki::TimeStampAuthority& tsa, std::int64_t now) {
    return timed([&] {
        core::Bytes hash(32);
        RAND_bytes(hash.data(), static_cast<int>(hash.size()));
        std::uint64_t nonce_value = 0;
        RAND_bytes(reinterpret_cast<unsigned char*>(&nonce_value), sizeof nonce_value);
        core::Bytes token = tsa.stamp_hash(hash, "sha256", std::to_string(nonce_value >> 1));
        std::string why, tsa_name;
        std::int64_t at = verify_timestamp_token(token, hash, {material(ca, "root")}, why, tsa_name);
        SelfTestResult r;
        if (at == 0) {
            r.detail = why;
        } else if (std::llabs(at - now) > 120) {
            r.detail = "the token's time is " + std::to_string(at - now) + " s away from this server's clock";
        } else {
            r.ok = true;
            r.detail = "token verified to the root (" + tsa_name + "), time within " + std::to_string(std::llabs(at - now)) + " s";
        }
        return r;
    });
}

}  // namespace yq::validation
