#include "validation/checks.hpp"

#include <openssl/asn1.h>
#include <openssl/cms.h>
#include <openssl/err.h>
#include <openssl/ts.h>
#include <openssl/x509.h>
#include <openssl/x509v3.h>

#include <algorithm>
#include <ctime>
#include <functional>
#include <future>
#include <map>
#include <mutex>
#include <set>
#include <optional>

#include "core/clock.hpp"
#include "core/error.hpp"
#include "pki/openssl_ptr.hpp"
#include "validation/revocation_evidence.hpp"

namespace yq::validation {

namespace {

using StorePtr = pki::OsslPtr<X509_STORE, X509_STORE_free>;
using CmsPtr = pki::OsslPtr<CMS_ContentInfo, CMS_ContentInfo_free>;

// Trust anchors are few and the same for every file: parsed once per process (OpenSSL 3 decodes each key on parsing).
X509* parsed_anchor(const core::Bytes& der) {
    static std::mutex mutex;
    static std::map<core::Bytes, pki::X509Ptr> parsed;
    std::lock_guard lock(mutex);
    auto it = parsed.find(der);
    if (it == parsed.end()) it = parsed.emplace(der, pki::certificate_from_der(der)).first;
    return it->second.get();
}

StorePtr store_of(const std::vector<core::Bytes>& anchors, std::int64_t at) {
    StorePtr store(X509_STORE_new());
    for (const auto& der : anchors) X509_STORE_add_cert(store.get(), parsed_anchor(der));  // the store takes a reference
    X509_VERIFY_PARAM* param = X509_STORE_get0_param(store.get());
    X509_VERIFY_PARAM_set_purpose(param, X509_PURPOSE_ANY);  // key usage is checked below, per the PAdES rules
    X509_VERIFY_PARAM_set_flags(param, X509_V_FLAG_PARTIAL_CHAIN);  // every anchor given is trusted as it is
    if (at > 0) X509_VERIFY_PARAM_set_time(param, static_cast<time_t>(at));
    return store;
}

std::string subject_of(X509* cert) { return pki::name_text(X509_get_subject_name(cert)); }
std::string serial_hex(X509* cert) { return pki::serial_hex(X509_get0_serialNumber(cert)); }

std::int64_t asn1_time_to_unix(const ASN1_GENERALIZEDTIME* t) {
    std::tm tm{};
    if (!t || ASN1_TIME_to_tm(t, &tm) != 1) return 0;
    return static_cast<std::int64_t>(timegm(&tm));
}

// An RFC 3161 token over `imprint` (SHA-256), verified against the anchors; genTime, or 0 when it does not verify.
std::int64_t verify_timestamp_token_impl(const core::Bytes& token_der, const core::Bytes& imprint, const std::vector<core::Bytes>& anchors,
                          std::string& why, std::string& tsa) {
    const unsigned char* p = token_der.data();
    pki::OsslPtr<PKCS7, PKCS7_free> token(d2i_PKCS7(nullptr, &p, static_cast<long>(token_der.size())));
    if (!token) {
        why = "the time-stamp token cannot be parsed";
        return 0;
    }
    pki::OsslPtr<TS_TST_INFO, TS_TST_INFO_free> info(PKCS7_to_TS_TST_INFO(token.get()));
    if (!info) {
        why = "the time-stamp token has no TSTInfo";
        return 0;
    }
    TS_VERIFY_CTX* ctx = TS_VERIFY_CTX_new();
    TS_VERIFY_CTX_set_flags(ctx, TS_VFY_VERSION | TS_VFY_SIGNATURE | TS_VFY_IMPRINT);
    unsigned char* copy = static_cast<unsigned char*>(OPENSSL_malloc(imprint.size()));
    std::copy(imprint.begin(), imprint.end(), copy);
    TS_VERIFY_CTX_set_imprint(ctx, copy, static_cast<long>(imprint.size()));  // ctx owns it (OpenSSL 3.0)
    TS_VERIFY_CTX_set_store(ctx, store_of(anchors, 0).release());            // ctx owns it
    int ok = TS_RESP_verify_token(ctx, token.get());
    TS_VERIFY_CTX_free(ctx);
    STACK_OF(X509)* signers = PKCS7_get0_signers(token.get(), nullptr, 0);
    if (signers && sk_X509_num(signers) > 0) tsa = subject_of(sk_X509_value(signers, 0));
    sk_X509_free(signers);
    ERR_clear_error();
    if (ok != 1) {
        why = "the time-stamp token does not verify (imprint, signature or TSA chain)";
        return 0;
    }
    return asn1_time_to_unix(TS_TST_INFO_get_time(info.get()));
}

}  // namespace

std::int64_t verify_timestamp_token(const core::Bytes& token_der, const core::Bytes& imprint,
                                    const std::vector<core::Bytes>& anchors, std::string& why, std::string& tsa) {
    return verify_timestamp_token_impl(token_der, imprint, anchors, why, tsa);
}

core::Bytes first_der_object(const core::Bytes& contents) {
    const unsigned char* p = contents.data();
    long length = 0;
    int tag = 0, cls = 0;
    int ret = ASN1_get_object(&p, &length, &tag, &cls, static_cast<long>(contents.size()));
    if ((ret & 0x80) != 0 || ret == 0x21) {  // an error, or an indefinite length
        ERR_clear_error();
        return contents;
    }
    std::size_t total = static_cast<std::size_t>(p - contents.data()) + static_cast<std::size_t>(length);
    return total <= contents.size() ? core::Bytes(contents.begin(), contents.begin() + static_cast<std::ptrdiff_t>(total))
                                    : contents;
}

core::Bytes sha256_of(const std::vector<std::string_view>& parts) {
    pki::OsslPtr<EVP_MD_CTX, EVP_MD_CTX_free> ctx(EVP_MD_CTX_new());
    EVP_DigestInit_ex(ctx.get(), EVP_sha256(), nullptr);
    for (auto part : parts) EVP_DigestUpdate(ctx.get(), part.data(), part.size());
    core::Bytes out(32);
    EVP_DigestFinal_ex(ctx.get(), out.data(), nullptr);
    return out;
}

namespace {

// The digest of the content with the SignerInfo's digest algorithm (RFC 5652 §5.4), hashing the parts in place: a
// task that needs nothing of the SignerInfo once started.
std::function<core::Bytes()> digest_of(CMS_SignerInfo* si, const std::vector<std::string_view>& parts) {
    X509_ALGOR* algorithm = nullptr;
    CMS_SignerInfo_get0_algs(si, nullptr, nullptr, &algorithm, nullptr);
    const EVP_MD* md = algorithm ? EVP_get_digestbyobj(algorithm->algorithm) : nullptr;
    return [md, parts]() -> core::Bytes {
        if (!md) return {};
        pki::OsslPtr<EVP_MD_CTX, EVP_MD_CTX_free> ctx(EVP_MD_CTX_new());
        EVP_DigestInit_ex(ctx.get(), md, nullptr);
        for (auto part : parts) EVP_DigestUpdate(ctx.get(), part.data(), part.size());
        core::Bytes out(static_cast<std::size_t>(EVP_MD_get_size(md)));
        EVP_DigestFinal_ex(ctx.get(), out.data(), nullptr);
        return out;
    };
}

bool message_digest_matches(CMS_SignerInfo* si, const core::Bytes& digest) {
    int idx = CMS_signed_get_attr_by_NID(si, NID_pkcs9_messageDigest, -1);
    ASN1_OCTET_STRING* md = idx >= 0 ? static_cast<ASN1_OCTET_STRING*>(X509_ATTRIBUTE_get0_data(
                                           CMS_signed_get_attr(si, idx), 0, V_ASN1_OCTET_STRING, nullptr))
                                     : nullptr;
    return md && !digest.empty() && static_cast<std::size_t>(ASN1_STRING_length(md)) == digest.size() &&
           std::equal(digest.begin(), digest.end(), ASN1_STRING_get0_data(md));
}

core::Bytes der_of(X509* cert) {
    unsigned char* out = nullptr;
    int len = i2d_X509(cert, &out);
    core::Bytes der(out, out + std::max(len, 0));
    OPENSSL_free(out);
    return der;
}

}  // namespace

std::int64_t check_signed_data(const core::Bytes& contents, const std::vector<std::string_view>& content_parts,
                               const std::vector<core::Bytes>& anchors, const RevocationSource& revocation,
                               const EmbeddedEvidence& evidence, SignatureReport& s) {
    auto fail = [&](const char* indication, const char* sub, Detail why) {
        s.indication = indication;
        s.sub_indication = sub;
        s.details.push_back(std::move(why));
    };
    std::int64_t poe = 0;
    const unsigned char* p = contents.data();
    CmsPtr cms(d2i_CMS_ContentInfo(nullptr, &p, static_cast<long>(contents.size())));
    STACK_OF(CMS_SignerInfo)* infos = cms ? CMS_get0_SignerInfos(cms.get()) : nullptr;
    ERR_clear_error();
    if (!cms || !infos || sk_CMS_SignerInfo_num(infos) != 1) {
        fail(kTotalFailed, "FORMAT_FAILURE", {"not_cms", "the signature is not a CMS SignedData with one signer"});
        return 0;
    }
    CMS_SignerInfo* si = sk_CMS_SignerInfo_value(infos, 0);
    // the certificates the signature brings, and those of its validation data (CAdES values, the PDF's DSS)
    EmbeddedEvidence carried = cades_validation_values(si);
    carried.certificates.insert(carried.certificates.end(), evidence.certificates.begin(), evidence.certificates.end());
    carried.ocsp_responses.insert(carried.ocsp_responses.end(), evidence.ocsp_responses.begin(), evidence.ocsp_responses.end());
    carried.crls.insert(carried.crls.end(), evidence.crls.begin(), evidence.crls.end());
    STACK_OF(X509)* certs = CMS_get1_certs(cms.get());
    if (!certs) certs = sk_X509_new_null();
    // The validation data's certificates are parsed only when the signature's own do not do (OpenSSL 3.0 decodes
    // every public key on parsing, the larger part of validating a file), and then each one once.
    bool carried_added = false;
    auto add_carried = [&] {
        if (carried_added) return false;
        carried_added = true;
        std::set<core::Bytes> present;
        for (int k = 0; k < sk_X509_num(certs); ++k) present.insert(der_of(sk_X509_value(certs, k)));
        for (const auto& der : carried.certificates) {
            if (!present.insert(der).second) continue;
            const unsigned char* q = der.data();
            if (X509* c = d2i_X509(nullptr, &q, static_cast<long>(der.size()))) sk_X509_push(certs, c);
        }
        ERR_clear_error();
        return true;
    };
    X509* signer = nullptr;
    auto find_signer = [&] {
        for (int k = 0; k < sk_X509_num(certs) && !signer; ++k)
            if (CMS_SignerInfo_cert_cmp(si, sk_X509_value(certs, k)) == 0) signer = sk_X509_value(certs, k);
    };
    find_signer();
    if (!signer && add_carried()) find_signer();
    struct Release {
        STACK_OF(X509)* certs;
        ~Release() { sk_X509_pop_free(certs, X509_free); }
    } release{certs};
    if (!signer) {
        fail(kIndeterminate, "NO_SIGNING_CERTIFICATE_FOUND",
             {"no_signer_certificate", "the signer's certificate is not in the signature"});
        return 0;
    }
    s.signer = subject_of(signer);
    s.signer_certificate = der_of(signer);
    // 1. cryptography (RFC 5652 §5.4 and §5.6): the content's digest against the message-digest attribute, and the
    //    signature over the signed attributes. The digest of a large file is most of the work: it runs on another
    //    thread beside the signature and time-stamp checks, and its verdict comes first in the report.
    bool has_attributes = CMS_signed_get_attr_count(si) > 0;
    std::future<core::Bytes> digest;
    if (has_attributes) digest = std::async(std::launch::async, digest_of(si, content_parts));
    bool verified = false;
    if (has_attributes) {
        CMS_SignerInfo_set1_signer_cert(si, signer);
        verified = CMS_SignerInfo_verify(si) == 1;
    } else {  // no signed attributes: the signature is over the content itself
        std::string content;
        for (auto part : content_parts) content.append(part);
        pki::BioPtr data(BIO_new_mem_buf(content.data(), static_cast<int>(content.size())));
        StorePtr no_anchors(X509_STORE_new());
        verified = CMS_verify(cms.get(), certs, no_anchors.get(), data.get(), nullptr,
                              CMS_BINARY | CMS_DETACHED | CMS_NO_SIGNER_CERT_VERIFY) == 1;
    }
    ERR_clear_error();
    // 2. the signature time-stamp (proof of existence), over the signature value
    int ts_idx = CMS_unsigned_get_attr_by_NID(si, NID_id_smime_aa_timeStampToken, -1);
    std::string ts_why, tsa;
    if (verified && ts_idx >= 0) {
        ASN1_TYPE* t = X509_ATTRIBUTE_get0_type(CMS_unsigned_get_attr(si, ts_idx), 0);
        ASN1_OCTET_STRING* sig = CMS_SignerInfo_get0_signature(si);
        core::Bytes sig_digest = core::sha256(ASN1_STRING_get0_data(sig), static_cast<std::size_t>(ASN1_STRING_length(sig)));
        if (t && t->type == V_ASN1_SEQUENCE) {
            core::Bytes token(t->value.sequence->data, t->value.sequence->data + t->value.sequence->length);
            poe = verify_timestamp_token(token, sig_digest, anchors, ts_why, tsa);
        }
    }
    if (has_attributes && !message_digest_matches(si, digest.get())) {
        fail(kTotalFailed, "HASH_FAILURE", {"digest_mismatch", "the signed bytes were changed after signing (digest mismatch)"});
        return 0;
    }
    if (!verified) {
        fail(kTotalFailed, "SIG_CRYPTO_FAILURE",
             {"signature_value_invalid", "the signature value does not verify with the signer's key"});
        return 0;
    }
    s.details.push_back({"digest_and_signature_ok", "the signed byte ranges match the message digest and the signature value verifies"});
    if (CMS_signed_get_attr_by_NID(si, NID_pkcs9_signingTime, -1) >= 0)
        s.details.push_back({"signing_time_attribute", "the signature has a signing-time attribute (not allowed in PAdES baseline)"});
    if (poe > 0) {
        s.timestamp_time = core::to_rfc3339(poe);
        s.details.push_back({"timestamp_ok", "signature time-stamp verified (" + tsa + ")", {{"tsa", tsa}}});
    } else if (ts_idx >= 0) {
        s.details.push_back({"timestamp_invalid", "the signature time-stamp does not verify: " + ts_why, {{"reason", ts_why}}});
    }
    // 3. the chain to a trust anchor, at the time-stamp's time (or now)
    StorePtr store = store_of(anchors, poe);
    pki::OsslPtr<X509_STORE_CTX, X509_STORE_CTX_free> ctx(X509_STORE_CTX_new());
    bool chain = X509_STORE_CTX_init(ctx.get(), store.get(), signer, certs) == 1 && X509_verify_cert(ctx.get()) == 1;
    int chain_error = chain ? 0 : X509_STORE_CTX_get_error(ctx.get());
    if (!chain && add_carried()) {  // an intermediate may be in the validation data only
        ctx.reset(X509_STORE_CTX_new());
        chain = X509_STORE_CTX_init(ctx.get(), store.get(), signer, certs) == 1 && X509_verify_cert(ctx.get()) == 1;
        chain_error = chain ? 0 : X509_STORE_CTX_get_error(ctx.get());
    }
    ERR_clear_error();
    if (!chain) {
        bool unknown = chain_error == X509_V_ERR_UNABLE_TO_GET_ISSUER_CERT_LOCALLY ||
                       chain_error == X509_V_ERR_DEPTH_ZERO_SELF_SIGNED_CERT ||
                       chain_error == X509_V_ERR_SELF_SIGNED_CERT_IN_CHAIN ||
                       chain_error == X509_V_ERR_UNABLE_TO_GET_ISSUER_CERT;
        bool expired = chain_error == X509_V_ERR_CERT_HAS_EXPIRED || chain_error == X509_V_ERR_CERT_NOT_YET_VALID;
        // ETSI TS 119 102-1 §5.2.7: outside its validity with no proof of an earlier existence
        fail(kIndeterminate, unknown ? "NO_CERTIFICATE_CHAIN_FOUND" : expired ? "OUT_OF_BOUNDS_NO_POE" : "CHAIN_CONSTRAINTS_FAILURE",
             {"no_chain",
              std::string("the signer's certificate does not chain to a trust anchor: ") +
                  X509_verify_cert_error_string(chain_error),
              {{"reason", X509_verify_cert_error_string(chain_error)}}});
    }
    if (chain)  // the path, for the report: signer first, the anchor last
        if (STACK_OF(X509)* path = X509_STORE_CTX_get0_chain(ctx.get()))
            for (int k = 0; k < sk_X509_num(path); ++k) {
                s.chain.push_back(subject_of(sk_X509_value(path, k)));
                s.chain_der.push_back(der_of(sk_X509_value(path, k)));
            }
    // 4. key usage (EN 319 142-1 via Acrobat's rule: digitalSignature or nonRepudiation when keyUsage is present)
    if (chain) {
        std::uint32_t ku = X509_get_key_usage(signer);
        if (ku != UINT32_MAX && !(ku & (KU_DIGITAL_SIGNATURE | KU_NON_REPUDIATION)))
            fail(kIndeterminate, "SIG_CONSTRAINTS_FAILURE", {"key_usage", "the signer's key usage does not allow signatures"});
    }
    // 5. revocation at the time of signing: the evidence the signature carries when it is fresh for the time of the
    //    signature (EN 319 102-1 §5.2.5), otherwise our CA's records
    if (s.indication.empty()) {
        STACK_OF(X509)* path = X509_STORE_CTX_get0_chain(ctx.get());
        X509* issuer = path && sk_X509_num(path) > 1 ? sk_X509_value(path, 1) : nullptr;
        std::optional<RevocationStatus> embedded;
        if (poe > 0 && issuer) {
            embedded = embedded_status(signer, issuer, carried, store.get(), certs, poe);
            if (!embedded && add_carried()) embedded = embedded_status(signer, issuer, carried, store.get(), certs, poe);
        }
        RevocationStatus ours = revocation ? revocation(serial_hex(signer), der_of(signer)) : RevocationStatus{};
        // our CA's own records outrank what a file carries about our certificates when they know of a revocation
        RevocationStatus r = embedded && ours.status != "revoked" ? *embedded : ours;
        std::int64_t when = poe > 0 ? poe : core::SystemClock().unix_seconds();
        s.revocation = r.status + (r.source.empty() ? "" : " (" + r.source + ")");
        s.revocation_status = r.status;
        s.revocation_source = r.source;
        if (r.status == "revoked" && r.revoked_at <= when) {
            const std::string at = core::to_rfc3339(r.revoked_at);
            fail(poe > 0 ? kTotalFailed : kIndeterminate, poe > 0 ? "REVOKED" : "REVOKED_NO_POE",
                 {poe > 0 ? "revoked_before_timestamp" : "revoked_no_timestamp",
                  "the signer's certificate was revoked at " + at +
                      (poe > 0 ? ", before the time-stamp" : " and there is no time-stamp proving an earlier signature"),
                  {{"time", at}}});
        } else if (r.status == "revoked") {
            const std::string at = core::to_rfc3339(r.revoked_at);
            s.details.push_back({"revoked_after_timestamp",
                                 "the certificate was revoked at " + at + ", after the time-stamp: the signature stays valid",
                                 {{"time", at}}});
        } else if (r.status == "unknown") {
            fail(kIndeterminate, "TRY_LATER", {"no_revocation_info", "no revocation information for the signer's certificate"});
        }
    }
    if (s.indication.empty()) s.indication = kTotalPassed;
    return poe;
}

}  // namespace yq::validation
