#include "pki/ocsp_responder.hpp"

#include <mutex>

#include "core/error.hpp"
#include "pki/revocation_reason.hpp"

namespace yq::pki {

namespace {

core::Bytes response_der(OCSP_RESPONSE* resp) {
    int len = i2d_OCSP_RESPONSE(resp, nullptr);
    core::Bytes der(static_cast<std::size_t>(std::max(len, 0)));
    unsigned char* p = der.data();
    i2d_OCSP_RESPONSE(resp, &p);
    return der;
}

// Adds one SingleResponse (RFC 6960 §4.2.1) for a known certificate.
void add_status(OCSP_BASICRESP* basic, OCSP_CERTID* id, const CertificateRecord* record, ASN1_TIME* this_update,
                ASN1_TIME* next_update) {
    if (record == nullptr) {
        OCSP_basic_add1_status(basic, id, V_OCSP_CERTSTATUS_UNKNOWN, 0, nullptr, this_update, next_update);
    } else if (record->status == "revoked") {
        Asn1TimePtr when(ASN1_TIME_set(nullptr, static_cast<time_t>(record->revoked_at.value_or(0))));
        int code = reason_code(record->reason.empty() ? "unspecified" : record->reason);
        OCSP_SINGLERESP* single = OCSP_basic_add1_status(basic, id, V_OCSP_CERTSTATUS_REVOKED,
                                                         code == 0 ? -1 : code, when.get(), this_update, next_update);
        if (single && record->invalidity_date) {  // RFC 6960 §4.4.8 refers to RFC 5280 §5.3.2
            OsslPtr<ASN1_GENERALIZEDTIME, ASN1_GENERALIZEDTIME_free> g(
                ASN1_GENERALIZEDTIME_set(nullptr, static_cast<time_t>(*record->invalidity_date)));
            OCSP_SINGLERESP_add1_ext_i2d(single, NID_invalidity_date, g.get(), 0, 0);
        }
    } else {
        OCSP_basic_add1_status(basic, id, V_OCSP_CERTSTATUS_GOOD, 0, nullptr, this_update, next_update);
    }
}

}  // namespace

core::Bytes OcspResponder::sign_basic(CertificateAuthority& ca, OCSP_BASICRESP* basic) {
    X509* responder = ca.certificate_of("ocsp");
    EVP_PKEY* key = ca.keys().private_key(kOcspKeyLabel);
    // RFC 6960 §4.2.2.3: ResponderID byKey keeps responses small; the responder certificate travels in `certs`.
    if (OCSP_basic_sign(basic, responder, key, EVP_sha256(), nullptr, OCSP_RESPID_KEY) != 1)
        throw Error("ocsp.sign_failed", 500, "the HSM could not sign the OCSP response: " + openssl_errors());
    OcspResponsePtr resp(OCSP_response_create(OCSP_RESPONSE_STATUS_SUCCESSFUL, basic));
    return response_der(resp.get());
}

core::Bytes ocsp_error_response(int status) {
    OcspResponsePtr resp(OCSP_response_create(status, nullptr));
    return response_der(resp.get());
}

OcspRecord OcspResponder::presign(CertificateAuthority& ca, const CertificateRecord& record) {
    X509* issuer = ca.issuing_certificate();
    X509Ptr cert = certificate_from_der(record.der);
    OcspCertIdPtr id(OCSP_cert_to_id(EVP_sha1(), cert.get(), issuer));
    std::int64_t now = ca.clock().unix_seconds();
    std::int64_t next = now + ca.config().ocsp.response_validity_seconds;
    Asn1TimePtr this_update(ASN1_GENERALIZEDTIME_set(nullptr, static_cast<time_t>(now)));
    Asn1TimePtr next_update(ASN1_GENERALIZEDTIME_set(nullptr, static_cast<time_t>(next)));
    OcspBasicPtr basic(OCSP_BASICRESP_new());
    add_status(basic.get(), id.get(), &record, this_update.get(), next_update.get());
    return OcspRecord{record.serial, now, next, sign_basic(ca, basic.get()), record.status};
}

OcspResponder::OcspResponder(CertificateAuthority& ca) : m_ca(ca) {
    X509* issuer = ca.issuing_certificate();
    OcspCertIdPtr id(OCSP_cert_to_id(EVP_sha1(), nullptr, issuer));
    ASN1_OCTET_STRING *name_hash = nullptr, *key_hash = nullptr;
    OCSP_id_get0_info(&name_hash, nullptr, &key_hash, nullptr, id.get());
    m_issuer_name_hash_sha1.assign(name_hash->data, name_hash->data + name_hash->length);
    m_issuer_key_hash_sha1.assign(key_hash->data, key_hash->data + key_hash->length);
}

void OcspResponder::refresh_if_status_changed() {
    std::int64_t epoch = m_ca.store().status_epoch();
    std::unique_lock lock(m_mutex);
    if (epoch != m_epoch) {
        m_cache.clear();
        m_epoch = epoch;
    }
}

std::shared_ptr<const OcspRecord> OcspResponder::cached(const std::string& serial) {
    std::shared_lock lock(m_mutex);
    auto it = m_cache.find(serial);
    if (it == m_cache.end()) return nullptr;
    if (it->second->next_update - m_ca.config().ocsp.refresh_before_seconds <= m_ca.clock().unix_seconds())
        return nullptr;
    return it->second;
}

std::shared_ptr<const OcspRecord> OcspResponder::presigned(const std::string& serial) {
    if (auto hit = cached(serial)) {
        ++m_hits;
        return hit;
    }
    std::int64_t now = m_ca.clock().unix_seconds();
    // #14: an answer read before a status change must not enter the cache after the refresh that follows the change
    // has emptied it (it would be served until the next change): it is cached only if no refresh came in between.
    std::int64_t epoch_before = 0;
    {
        std::shared_lock lock(m_mutex);
        epoch_before = m_epoch;
    }
    std::shared_ptr<const OcspRecord> record;
    if (auto stored = m_ca.store().ocsp_response(serial);
        stored && stored->next_update - m_ca.config().ocsp.refresh_before_seconds > now) {
        record = std::make_shared<const OcspRecord>(std::move(*stored));
    } else {
        auto cert = m_ca.store().find_certificate(serial);
        if (!cert) return nullptr;
        OcspRecord fresh = presign(m_ca, *cert);
        m_ca.store().put_ocsp_response(fresh);
        ++m_signed;
        record = std::make_shared<const OcspRecord>(std::move(fresh));
    }
    std::unique_lock lock(m_mutex);
    if (m_epoch == epoch_before) m_cache[serial] = record;
    return record;
}

core::Bytes OcspResponder::respond(const core::Bytes& request_der) {
    const unsigned char* p = request_der.data();
    OcspRequestPtr req(d2i_OCSP_REQUEST(nullptr, &p, static_cast<long>(request_der.size())));
    if (!req || p != request_der.data() + request_der.size() || OCSP_request_onereq_count(req.get()) < 1) {
        openssl_errors();
        return ocsp_error_response(OCSP_RESPONSE_STATUS_MALFORMEDREQUEST);  // RFC 6960 §2.3
    }
    try {
        bool has_nonce = OCSP_REQUEST_get_ext_by_NID(req.get(), NID_id_pkix_OCSP_Nonce, -1) >= 0;
        if (!has_nonce && OCSP_request_onereq_count(req.get()) == 1) {
            OCSP_CERTID* cid = OCSP_onereq_get0_id(OCSP_request_onereq_get0(req.get(), 0));
            ASN1_OCTET_STRING *name_hash = nullptr, *key_hash = nullptr;
            ASN1_OBJECT* md = nullptr;
            ASN1_INTEGER* serial = nullptr;
            OCSP_id_get0_info(&name_hash, &md, &key_hash, &serial, cid);
            bool ours = OBJ_obj2nid(md) == NID_sha1 && name_hash && key_hash &&
                        core::Bytes(name_hash->data, name_hash->data + name_hash->length) == m_issuer_name_hash_sha1 &&
                        core::Bytes(key_hash->data, key_hash->data + key_hash->length) == m_issuer_key_hash_sha1;
            if (ours && serial) {
                if (auto record = presigned(serial_hex(serial))) return record->der;
            }
        }
        ++m_signed;
        return sign_on_demand(req.get());
    } catch (const Error&) {
        return ocsp_error_response(OCSP_RESPONSE_STATUS_INTERNALERROR);
    }
}

core::Bytes OcspResponder::sign_on_demand(OCSP_REQUEST* req) {
    X509* issuer = m_ca.issuing_certificate();
    std::int64_t now = m_ca.clock().unix_seconds();
    Asn1TimePtr this_update(ASN1_GENERALIZEDTIME_set(nullptr, static_cast<time_t>(now)));
    Asn1TimePtr next_update(
        ASN1_GENERALIZEDTIME_set(nullptr, static_cast<time_t>(now + m_ca.config().ocsp.response_validity_seconds)));
    OcspBasicPtr basic(OCSP_BASICRESP_new());
    int matched = 0;
    for (int i = 0; i < OCSP_request_onereq_count(req); ++i) {
        OCSP_CERTID* cid = OCSP_onereq_get0_id(OCSP_request_onereq_get0(req, i));
        ASN1_OBJECT* md_oid = nullptr;
        ASN1_INTEGER* serial = nullptr;
        OCSP_id_get0_info(nullptr, &md_oid, nullptr, &serial, cid);
        const EVP_MD* md = md_oid ? EVP_get_digestbyobj(md_oid) : nullptr;
        if (md == nullptr || serial == nullptr) continue;
        OcspCertIdPtr ours(OCSP_cert_id_new(md, X509_get_subject_name(issuer), X509_get0_pubkey_bitstr(issuer), serial));
        if (!ours || OCSP_id_issuer_cmp(cid, ours.get()) != 0) {
            // RFC 6960 §2.2: not ours → "unknown" for this entry
            OCSP_basic_add1_status(basic.get(), cid, V_OCSP_CERTSTATUS_UNKNOWN, 0, nullptr, this_update.get(),
                                   next_update.get());
            continue;
        }
        ++matched;
        auto record = m_ca.store().find_certificate(serial_hex(serial));
        add_status(basic.get(), cid, record ? &*record : nullptr, this_update.get(), next_update.get());
    }
    if (matched == 0) return ocsp_error_response(OCSP_RESPONSE_STATUS_UNAUTHORIZED);  // RFC 6960 §2.3
    OCSP_copy_nonce(basic.get(), req);  // RFC 6960 §4.4.1
    return sign_basic(m_ca, basic.get());
}

}  // namespace yq::pki
