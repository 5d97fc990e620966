#include "validation/signed_report.hpp"

#include <openssl/ec.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/x509.h>

#include "core/error.hpp"
#include "core/json_text.hpp"
#include "pki/certificate_authority.hpp"
#include "pki/chain_check.hpp"
#include "pki/openssl_ptr.hpp"
#include "pki/readable_name.hpp"
#include "validation/xades_signature.hpp"

namespace yq::validation {

namespace {

struct Algorithm {
    std::string name;  // RFC 7518 §3.1 "alg"
    keystore::SignScheme scheme;
    std::size_t coordinate = 0;  // ECDSA: bytes of r and of s in the JWS signature (RFC 7518 §3.4); 0 for RSA
};

// The JWS algorithm of a key, from its SubjectPublicKeyInfo.
Algorithm algorithm_of(const core::Bytes& spki) {
    pki::EvpPkeyPtr key = pki::public_key_from_der(spki);
    if (!key) throw Error("validation.bad_key", 500, "the validation key's public half cannot be read");
    if (EVP_PKEY_base_id(key.get()) == EVP_PKEY_RSA)
        return {"RS256", {keystore::SignScheme::Kind::RsaPkcs1v15, keystore::HashAlg::Sha256, 0}, 0};
    int bits = EVP_PKEY_bits(key.get());
    if (bits == 256) return {"ES256", {keystore::SignScheme::Kind::Ecdsa, keystore::HashAlg::Sha256, 0}, 32};
    if (bits == 384) return {"ES384", {keystore::SignScheme::Kind::Ecdsa, keystore::HashAlg::Sha384, 0}, 48};
    throw Error("validation.bad_key", 500, "the validation key is neither RSA, P-256 nor P-384");
}

core::Bytes digest(keystore::HashAlg hash, const std::string& input) {
    const EVP_MD* md = hash == keystore::HashAlg::Sha384 ? EVP_sha384() : EVP_sha256();
    core::Bytes out(static_cast<std::size_t>(EVP_MD_get_size(md)));
    unsigned int len = 0;
    EVP_Digest(input.data(), input.size(), out.data(), &len, md, nullptr);
    return out;
}

bool verify_with(const core::Bytes& spki, const std::string& alg, const std::string& input, const core::Bytes& signature) {
    pki::EvpPkeyPtr key = pki::public_key_from_der(spki);
    if (!key) return false;
    Algorithm expected;
    try {
        expected = algorithm_of(spki);
    } catch (const Error&) {
        return false;
    }
    if (expected.name != alg) return false;  // the header's algorithm must be the certificate key's (no "none", no swap)
    core::Bytes sig = signature;
    if (expected.coordinate > 0) {
        if (signature.size() != 2 * expected.coordinate) return false;
        sig = keystore::ecdsa_raw_to_der(signature);
    }
    const EVP_MD* md = expected.scheme.hash == keystore::HashAlg::Sha384 ? EVP_sha384() : EVP_sha256();
    return pki::signature_verifies(key.get(), md, reinterpret_cast<const std::uint8_t*>(input.data()), input.size(), sig);
}

}  // namespace

std::vector<core::Bytes> ReportSigner::chain() {
    auto certificate = m_ca_store.ca_material("validation");
    auto issuing = m_ca_store.ca_material("issuing");
    if (!certificate || !issuing)
        throw Error("validation.no_signing_key", 503, "the validation service has no certificate yet; start the server once");
    return {certificate->certificate_der, issuing->certificate_der};
}

std::string ReportSigner::sign(const nlohmann::json& report) {
    const std::vector<core::Bytes> certificates = chain();
    Algorithm alg = algorithm_of(m_keys.public_key_der(pki::kValidationKeyLabel));
    // RFC 7515 §4.1.6: x5c values are base64 (not base64url) DER, the signer's certificate first
    nlohmann::json header{{"alg", alg.name},
                          {"typ", "JOSE"},
                          {"cty", "json"},
                          {"x5c", {core::base64_encode(certificates[0]), core::base64_encode(certificates[1])}}};
    // RFC 7515 §5.1: the signing input is ASCII(BASE64URL(header) '.' BASE64URL(payload))
    std::string input = core::base64url_encode(core::to_bytes(core::json_text(header))) + "." +
                        core::base64url_encode(core::to_bytes(core::json_text(report)));
    core::Bytes signature = m_keys.sign_digest(pki::kValidationKeyLabel, alg.scheme, digest(alg.scheme.hash, input));
    // RFC 7518 §3.4: the JWS carries R ‖ S, each left-padded to the coordinate size — not the DER the HSM layer returns
    if (alg.coordinate > 0) signature = keystore::ecdsa_der_to_raw(signature, alg.coordinate);
    return input + "." + core::base64url_encode(signature);
}

std::string ReportSigner::sign_xml(const std::string& report_xml, std::int64_t now) {
    const std::vector<core::Bytes> certificates = chain();
    Algorithm alg = algorithm_of(m_keys.public_key_der(pki::kValidationKeyLabel));
    if (alg.scheme.hash != keystore::HashAlg::Sha256)
        throw Error("validation.bad_key", 500, "the XML report is signed with SHA-256: use a P-256 or RSA validation key");
    DigestSigner sign = [this, alg](const core::Bytes& sha256) {
        core::Bytes signature = m_keys.sign_digest(pki::kValidationKeyLabel, alg.scheme, sha256);
        return alg.coordinate > 0 ? keystore::ecdsa_der_to_raw(signature, alg.coordinate) : signature;  // RFC 4051 §3.3
    };
    return xades_sign(report_xml, alg.coordinate > 0, sign, certificates, now);
}

std::string ReportSigner::sign_pdf(const std::string& report_pdf, pades::PadesService& pades) {
    const std::vector<core::Bytes> certificates = chain();
    Algorithm alg = algorithm_of(m_keys.public_key_der(pki::kValidationKeyLabel));
    // CMS signs the SHA-256 of its signed attributes (the CAdES builder's digest): ECDSA or RSA PKCS#1 v1.5 with SHA-256
    keystore::SignScheme scheme{alg.coordinate > 0 ? keystore::SignScheme::Kind::Ecdsa : keystore::SignScheme::Kind::RsaPkcs1v15,
                                keystore::HashAlg::Sha256, 0};
    pades::ServiceKey key{certificates,
                          pki::readable_name(pki::name_text(
                                                 X509_get_subject_name(pki::certificate_from_der(certificates[0]).get())))
                              .name,
                          [this, scheme](const core::Bytes& digest) {
                              return m_keys.sign_digest(pki::kValidationKeyLabel, scheme, digest);
                          }};
    return pades.sign_with_service_key(report_pdf, key, "Validation report");
}

SignedReportCheck verify_signed_report(const std::string& jws, const core::Bytes& root_der, std::int64_t now) {
    SignedReportCheck r;
    std::size_t first = jws.find('.'), second = first == std::string::npos ? first : jws.find('.', first + 1);
    if (second == std::string::npos || jws.find('.', second + 1) != std::string::npos) {
        r.problem = "not a JWS in compact serialisation (three parts separated by dots)";
        return r;
    }
    nlohmann::json header;
    core::Bytes signature, payload, certificate, issuing;
    try {
        header = nlohmann::json::parse(core::to_string(core::base64_decode(jws.substr(0, first))));
        payload = core::base64_decode(jws.substr(first + 1, second - first - 1));
        signature = core::base64_decode(jws.substr(second + 1));
        const auto& x5c = header.at("x5c");
        certificate = core::base64_decode(x5c.at(0).get<std::string>());
        issuing = core::base64_decode(x5c.at(1).get<std::string>());
    } catch (const std::exception&) {
        r.problem = "the JWS header is not JSON with the validation certificate and its issuer in x5c";
        return r;
    }
    core::Bytes key;
    try {
        key = pki::public_key_of(certificate);
        r.signed_by = pki::name_text(X509_get_subject_name(pki::certificate_from_der(certificate).get()));
    } catch (const Error&) {
        r.problem = "the certificate in x5c cannot be read";
        return r;
    }
    if (!verify_with(key, header.value("alg", ""), jws.substr(0, second), signature)) {
        r.problem = "the report's signature does not verify with the certificate in x5c (the report was changed)";
        return r;
    }
    if (std::string chain = pki::presented_chain_problem(certificate, issuing, root_der, now); !chain.empty()) {
        r.problem = "the signing certificate does not chain to the root given (" + chain + ")";
        return r;
    }
    r.report = nlohmann::json::parse(core::to_string(payload), nullptr, false);
    if (r.report.is_discarded()) {
        r.problem = "the signed payload is not JSON";
        return r;
    }
    r.ok = true;
    return r;
}

}  // namespace yq::validation
