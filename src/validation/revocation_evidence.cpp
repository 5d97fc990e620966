#include "validation/revocation_evidence.hpp"

#include <openssl/asn1.h>
#include <openssl/err.h>
#include <openssl/ocsp.h>

#include <ctime>

#include "pki/openssl_ptr.hpp"

namespace yq::validation {

namespace {

std::int64_t unix_time(const ASN1_TIME* t) {
    std::tm tm{};
    if (!t || ASN1_TIME_to_tm(t, &tm) != 1) return 0;
    return static_cast<std::int64_t>(timegm(&tm));
}

// EN 319 102-1 §5.2.5.4 with its default freshness (the issuer's own update interval): evidence speaks for the
// time `at` when `at` is no later than its nextUpdate (or, without one, when it was issued at or after `at`).
bool fresh(const ASN1_TIME* this_update, const ASN1_TIME* next_update, std::int64_t at) {
    std::int64_t issued = unix_time(this_update);
    if (issued == 0) return false;
    return next_update ? at <= unix_time(next_update) : issued >= at;
}

// One DER element at `p` (of at most `len` bytes): its tag and the span of its value; false when malformed.
struct Element {
    int tag = 0, cls = 0;
    const unsigned char* value = nullptr;
    long length = 0;
    const unsigned char* end = nullptr;  // just after the element
};
bool read_element(const unsigned char* p, long len, Element& e) {
    const unsigned char* q = p;
    int ret = ASN1_get_object(&q, &e.length, &e.tag, &e.cls, len);
    if (ret & 0x80) return false;
    e.value = q;
    e.end = q + e.length;
    return e.end <= p + len;
}

// The elements of a SEQUENCE OF, each as its full DER.
std::vector<core::Bytes> sequence_items(const unsigned char* p, long len) {
    std::vector<core::Bytes> out;
    Element seq;
    if (!read_element(p, len, seq) || seq.tag != V_ASN1_SEQUENCE) return out;
    for (const unsigned char* q = seq.value; q < seq.end;) {
        Element item;
        if (!read_element(q, seq.end - q, item)) break;
        out.emplace_back(q, item.end);
        q = item.end;
    }
    return out;
}

ASN1_STRING* unsigned_attribute(CMS_SignerInfo* si, const char* oid) {
    pki::Asn1ObjectPtr obj(OBJ_txt2obj(oid, 1));
    int idx = obj ? CMS_unsigned_get_attr_by_OBJ(si, obj.get(), -1) : -1;
    if (idx < 0) return nullptr;
    ASN1_TYPE* t = X509_ATTRIBUTE_get0_type(CMS_unsigned_get_attr(si, idx), 0);
    return t && t->type == V_ASN1_SEQUENCE ? t->value.sequence : nullptr;
}

pki::OcspBasicPtr basic_response(const core::Bytes& der) {
    const unsigned char* p = der.data();
    pki::OcspResponsePtr full(d2i_OCSP_RESPONSE(nullptr, &p, static_cast<long>(der.size())));
    if (full) return pki::OcspBasicPtr(OCSP_response_get1_basic(full.get()));
    p = der.data();
    return pki::OcspBasicPtr(d2i_OCSP_BASICRESP(nullptr, &p, static_cast<long>(der.size())));
}

// RFC 6960 §4.2.1: a SingleResponse for `cert` (certID by SHA-1 or SHA-256) in a response that verifies.
std::optional<RevocationStatus> from_ocsp(OCSP_BASICRESP* basic, X509* cert, X509* issuer, X509_STORE* store,
                                          STACK_OF(X509)* untrusted, std::int64_t fresh_from) {
    if (OCSP_basic_verify(basic, untrusted, store, 0) != 1) return std::nullopt;
    for (const EVP_MD* md : {EVP_sha1(), EVP_sha256()}) {
        pki::OcspCertIdPtr id(OCSP_cert_to_id(md, cert, issuer));
        int status = -1, reason = -1;
        ASN1_GENERALIZEDTIME *revoked = nullptr, *this_update = nullptr, *next_update = nullptr;
        if (!id || OCSP_resp_find_status(basic, id.get(), &status, &reason, &revoked, &this_update, &next_update) != 1)
            continue;
        if (!fresh(this_update, next_update, fresh_from)) return std::nullopt;
        RevocationStatus r;
        r.source = "embedded OCSP response";
        if (status == V_OCSP_CERTSTATUS_GOOD) r.status = "good";
        else if (status == V_OCSP_CERTSTATUS_REVOKED) r.status = "revoked", r.revoked_at = unix_time(revoked);
        else return std::nullopt;
        return r;
    }
    return std::nullopt;
}

// RFC 5280 §6.3: a CRL by the certificate's issuer, signed with the issuer's key.
std::optional<RevocationStatus> from_crl(X509_CRL* crl, X509* cert, X509* issuer, std::int64_t fresh_from) {
    if (X509_NAME_cmp(X509_CRL_get_issuer(crl), X509_get_subject_name(issuer)) != 0) return std::nullopt;
    if (X509_CRL_verify(crl, X509_get0_pubkey(issuer)) != 1) return std::nullopt;
    if (!fresh(X509_CRL_get0_lastUpdate(crl), X509_CRL_get0_nextUpdate(crl), fresh_from)) return std::nullopt;
    RevocationStatus r;
    r.source = "embedded CRL";
    X509_REVOKED* entry = nullptr;
    if (X509_CRL_get0_by_cert(crl, &entry, cert) == 1 && entry) {
        r.status = "revoked";
        r.revoked_at = unix_time(X509_REVOKED_get0_revocationDate(entry));
    } else {
        r.status = "good";
    }
    return r;
}

}  // namespace

EmbeddedEvidence cades_validation_values(CMS_SignerInfo* si) {
    EmbeddedEvidence out;
    if (ASN1_STRING* certs = unsigned_attribute(si, "1.2.840.113549.1.9.16.2.23"))  // id-aa-ets-certValues
        out.certificates = sequence_items(ASN1_STRING_get0_data(certs), ASN1_STRING_length(certs));
    ASN1_STRING* values = unsigned_attribute(si, "1.2.840.113549.1.9.16.2.24");  // id-aa-ets-revocationValues
    Element seq;
    if (!values || !read_element(ASN1_STRING_get0_data(values), ASN1_STRING_length(values), seq)) return out;
    // RevocationValues ::= SEQUENCE { crlVals [0] EXPLICIT SEQUENCE OF CertificateList OPTIONAL,
    //                                 ocspVals [1] EXPLICIT SEQUENCE OF BasicOCSPResponse OPTIONAL, ... }
    for (const unsigned char* q = seq.value; q < seq.end;) {
        Element tagged;
        if (!read_element(q, seq.end - q, tagged)) break;
        if (tagged.cls == V_ASN1_CONTEXT_SPECIFIC && tagged.tag == 0)
            out.crls = sequence_items(tagged.value, tagged.length);
        else if (tagged.cls == V_ASN1_CONTEXT_SPECIFIC && tagged.tag == 1)
            out.ocsp_responses = sequence_items(tagged.value, tagged.length);
        q = tagged.end;
    }
    ERR_clear_error();
    return out;
}

std::optional<RevocationStatus> embedded_status(X509* cert, X509* issuer, const EmbeddedEvidence& evidence,
                                                X509_STORE* store, STACK_OF(X509)* untrusted, std::int64_t fresh_from) {
    std::optional<RevocationStatus> found;
    for (const auto& der : evidence.ocsp_responses) {
        pki::OcspBasicPtr basic = basic_response(der);
        if (basic) found = from_ocsp(basic.get(), cert, issuer, store, untrusted, fresh_from);
        if (found) break;
    }
    for (std::size_t i = 0; !found && i < evidence.crls.size(); ++i) {
        const unsigned char* p = evidence.crls[i].data();
        pki::X509CrlPtr crl(d2i_X509_CRL(nullptr, &p, static_cast<long>(evidence.crls[i].size())));
        if (crl) found = from_crl(crl.get(), cert, issuer, fresh_from);
    }
    ERR_clear_error();
    return found;
}

}  // namespace yq::validation
