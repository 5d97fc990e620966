#include "pki/certificate_authority.hpp"

#include <openssl/err.h>
#include <openssl/conf.h>
#include <openssl/pem.h>

#include <algorithm>
#include <regex>
#include <spdlog/spdlog.h>

#include "core/error.hpp"
#include "pki/crl_encoder.hpp"
#include "pki/ocsp_responder.hpp"
#include "pki/revocation_reason.hpp"

namespace yq::pki {

namespace {

constexpr std::int64_t kSecondsPerDay = 86400;

EvpPkeyPtr public_key_from_spki(const core::Bytes& spki) {
    EvpPkeyPtr key = public_key_from_der(spki);
    if (!key) {
        throw_bad_input("ca.bad_public_key", "the public key is not a DER SubjectPublicKeyInfo");
    }
    return key;
}

// Only keys the profiles allow: RSA ≥ 2048 bits, EC P-256 or P-384.
void check_key_acceptable(EVP_PKEY* key) {
    int id = EVP_PKEY_get_base_id(key);
    if (id == EVP_PKEY_RSA) {
        if (EVP_PKEY_get_bits(key) < 2048) throw_bad_input("ca.weak_key", "RSA keys must have at least 2048 bits");
        return;
    }
    if (id == EVP_PKEY_EC) {
        char group[64] = {0};
        std::size_t len = 0;
        EVP_PKEY_get_utf8_string_param(key, "group", group, sizeof group, &len);
        std::string g(group);
        if (g == "prime256v1" || g == "P-256" || g == "secp384r1" || g == "P-384") return;
        throw_bad_input("ca.weak_key", "EC keys must be on P-256 or P-384");
    }
    throw_bad_input("ca.weak_key", "only RSA and EC keys are accepted");
}

const EVP_MD* digest_for(EVP_PKEY* signing_key) {
    if (EVP_PKEY_get_base_id(signing_key) == EVP_PKEY_EC && EVP_PKEY_get_bits(signing_key) >= 384) return EVP_sha384();
    return EVP_sha256();
}

// Extensions parsed by r2i methods (certificatePolicies) need a config database, even an empty one.
struct ExtensionContext {
    OsslPtr<CONF, NCONF_free> conf{NCONF_new(nullptr)};
    X509V3_CTX ctx;
    ExtensionContext(X509* issuer, X509* subject, X509_CRL* crl) {
        X509V3_set_ctx(&ctx, issuer, subject, nullptr, crl, 0);
        X509V3_set_nconf(&ctx, conf.get());
    }
};

void add_ext(X509* cert, X509V3_CTX* ctx, int nid, const std::string& value) {
    X509ExtPtr ext(X509V3_EXT_nconf_nid(nullptr, ctx, nid, value.c_str()));
    if (!ext) throw Error("ca.profile_invalid", 500, "profile extension '" + std::string(OBJ_nid2sn(nid)) + " = " + value +
                                                         "' is not valid: " + openssl_errors());
    X509_add_ext(cert, ext.get(), -1);
}

bool valid_email(const std::string& s) {
    static const std::regex kEmail(R"(^[A-Za-z0-9._%+\-]+@[A-Za-z0-9.\-]+\.[A-Za-z]{2,}$)");
    return s.size() <= 254 && std::regex_match(s, kEmail);
}

std::int64_t asn1_to_unix(const ASN1_TIME* t) {
    std::tm tm{};
    ASN1_TIME_to_tm(t, &tm);
    return static_cast<std::int64_t>(timegm(&tm));
}

// Filters a requested subject through the profile: only listed attributes, in the profile's order; required present.
X509NamePtr profile_subject(const core::CertificateProfile& profile, const SubjectFields& fields, std::string& email) {
    for (const auto& [key, value] : fields) {
        if (std::find(profile.subject_attributes.begin(), profile.subject_attributes.end(), key) ==
            profile.subject_attributes.end())
            throw_bad_input("ca.subject_not_allowed",
                            "subject attribute '" + key + "' is not allowed by profile '" + profile.name + "'");
        if (value.empty() || value.size() > 256)
            throw_bad_input("ca.subject_invalid", "subject attribute '" + key + "' must have 1–256 characters");
    }
    for (const auto& req : profile.required_attributes) {
        bool present = std::any_of(fields.begin(), fields.end(), [&](const auto& f) { return f.first == req; });
        if (!present)
            throw_bad_input("ca.subject_incomplete", "profile '" + profile.name + "' needs subject attribute '" + req + "'");
    }
    X509NamePtr name(X509_NAME_new());
    for (const auto& attr : profile.subject_attributes) {
        for (const auto& [key, value] : fields) {
            if (key != attr) continue;
            if (key == "emailAddress") {
                if (!valid_email(value)) throw_bad_input("ca.subject_invalid", "emailAddress is not a valid e-mail address");
                email = value;
            }
            if (key == "C" && value.size() != 2) throw_bad_input("ca.subject_invalid", "C must be a two-letter country code");
            int type = (key == "C" || key == "emailAddress" || key == "serialNumber") ? MBSTRING_ASC : MBSTRING_UTF8;
            if (X509_NAME_add_entry_by_txt(name.get(), key.c_str(), type,
                                           reinterpret_cast<const unsigned char*>(value.c_str()), -1, -1, 0) != 1) {
                openssl_errors();
                throw_bad_input("ca.subject_invalid", "subject attribute '" + key + "' has characters it cannot hold");
            }
        }
    }
    return name;
}

}  // namespace

SubjectFields subject_fields(const X509_NAME* name) {
    SubjectFields out;
    for (int i = 0; i < X509_NAME_entry_count(name); ++i) {
        const X509_NAME_ENTRY* e = X509_NAME_get_entry(name, i);
        int nid = OBJ_obj2nid(X509_NAME_ENTRY_get_object(e));
        const char* sn = nid == NID_undef ? "?" : OBJ_nid2sn(nid);
        unsigned char* utf8 = nullptr;
        int len = ASN1_STRING_to_UTF8(&utf8, X509_NAME_ENTRY_get_data(e));
        if (len < 0) throw_bad_input("ca.subject_invalid", "the request's subject has an undecodable attribute");
        out.emplace_back(sn, std::string(reinterpret_cast<char*>(utf8), static_cast<std::size_t>(len)));
        OPENSSL_free(utf8);
    }
    return out;
}

namespace {

X509ReqPtr parse_csr(const core::Bytes& data) {
    X509ReqPtr req;
    std::string text(data.begin(), data.end());
    if (text.find("-----BEGIN") != std::string::npos) {
        BioPtr bio(BIO_new_mem_buf(data.data(), static_cast<int>(data.size())));
        req.reset(PEM_read_bio_X509_REQ(bio.get(), nullptr, nullptr, nullptr));
    } else {
        const unsigned char* p = data.data();
        req.reset(d2i_X509_REQ(nullptr, &p, static_cast<long>(data.size())));
        if (req && p != data.data() + data.size()) req.reset();
    }
    if (!req) {
        openssl_errors();
        throw_bad_input("ca.bad_csr", "the request is not a PKCS#10 certificate signing request (PEM or DER)");
    }
    return req;
}

}  // namespace

Asn1IntegerPtr random_serial() {
    core::Bytes b = core::random_bytes(20);
    b[0] = static_cast<std::uint8_t>((b[0] & 0x7f) | 0x40);  // positive and exactly 20 octets
    BignumPtr bn(BN_bin2bn(b.data(), static_cast<int>(b.size()), nullptr));
    return Asn1IntegerPtr(BN_to_ASN1_INTEGER(bn.get(), nullptr));
}

CertificateAuthority::CertificateAuthority(const core::Config& config, keystore::Keystore& keys, CaStore& store,
                                           const core::Clock& clock)
    : m_config(config), m_keys(keys), m_store(store), m_clock(clock) {}

const core::CertificateProfile& CertificateAuthority::profile(const std::string& name) const {
    auto it = m_config.ca.profiles.find(name);
    if (it == m_config.ca.profiles.end()) {
        std::string names;
        for (const auto& [n, p] : m_config.ca.profiles) names += (names.empty() ? "" : ", ") + n;
        throw_bad_input("ca.unknown_profile", "unknown certificate profile '" + name + "'; profiles: " + names);
    }
    return it->second;
}

X509* CertificateAuthority::certificate_of(const std::string& material_name) {
    std::lock_guard lock(m_cache_mutex);
    auto it = m_material.find(material_name);
    if (it != m_material.end()) return it->second.get();
    auto m = m_store.ca_material(material_name);
    if (!m) throw Error("ca.not_initialised", 503, "the CA has no '" + material_name + "' certificate; run `yunqian init`");
    X509Ptr cert = certificate_from_der(m->certificate_der);
    X509* raw = cert.get();
    m_material.emplace(material_name, std::move(cert));
    return raw;
}

X509* CertificateAuthority::root_certificate() { return certificate_of("root"); }
X509* CertificateAuthority::issuing_certificate() { return certificate_of("issuing"); }

bool CertificateAuthority::initialised() {
    for (const char* n : {"root", "issuing", "ocsp", "tsa", "audit", "transparency", "validation"})
        if (!m_store.ca_material(n)) return false;
    return true;
}

void CertificateAuthority::complete_service_certificates(const std::string& actor) {
    if (initialised()) return;
    if (!m_store.ca_material("root") || !m_store.ca_material("issuing"))
        throw Error("ca.not_initialised", 503, "the CA is not initialised; run `yunqian init`");
    initialise_hierarchy(actor);
}

void CertificateAuthority::initialise_hierarchy(const std::string& actor) {
    auto now = m_clock.unix_seconds();
    auto ensure_key = [&](const char* label, const std::string& type) {
        if (m_keys.has_key(label)) return;
        m_keys.generate_key_pair(label, keystore::parse_key_type(type));
    };
    auto store = [&](const std::string& name, X509* cert, const char* label) {
        m_store.put_ca_material(CaMaterial{name, to_der(cert), label},
                                audit::Event{actor, "ca.material.created", "ca:" + name,
                                             audit::details({{"subject", name_text(X509_get_subject_name(cert))},
                                                             {"serial", serial_hex(X509_get_serialNumber(cert))},
                                                             {"key_label", label}}),
                                             now});
    };
    auto make_ca_cert = [&](X509_NAME* subject, X509* issuer_cert, X509_NAME* issuer_name, EVP_PKEY* subject_pub,
                            EVP_PKEY* signing_key, int days, const char* basic_constraints) {
        X509Ptr cert(X509_new());
        X509_set_version(cert.get(), X509_VERSION_3);
        Asn1IntegerPtr serial = random_serial();
        X509_set_serialNumber(cert.get(), serial.get());
        X509_set_subject_name(cert.get(), subject);
        X509_set_issuer_name(cert.get(), issuer_name);
        X509_time_adj_ex(X509_getm_notBefore(cert.get()), 0, 0, &now);
        X509_time_adj_ex(X509_getm_notAfter(cert.get()), days, 0, &now);
        X509_set_pubkey(cert.get(), subject_pub);
        ExtensionContext ext(issuer_cert ? issuer_cert : cert.get(), cert.get(), nullptr);
        add_ext(cert.get(), &ext.ctx, NID_basic_constraints, basic_constraints);  // RFC 5280 §4.2.1.9
        add_ext(cert.get(), &ext.ctx, NID_key_usage, "critical,keyCertSign,cRLSign");
        add_ext(cert.get(), &ext.ctx, NID_subject_key_identifier, "hash");
        if (issuer_cert) {
            add_ext(cert.get(), &ext.ctx, NID_authority_key_identifier, "keyid:always");
            add_ext(cert.get(), &ext.ctx, NID_certificate_policies, "anyPolicy");
        }
        if (X509_sign(cert.get(), signing_key, digest_for(signing_key)) <= 0)
            throw Error("ca.sign_failed", 500, "signing the CA certificate failed: " + openssl_errors());
        return cert;
    };

    if (!m_store.ca_material("root")) {
        ensure_key(kRootKeyLabel, m_config.ca.root_key);
        EvpPkeyPtr pub = public_key_from_spki(m_keys.public_key_der(kRootKeyLabel));
        X509NamePtr name = parse_name(m_config.ca.root_subject);
        X509Ptr root = make_ca_cert(name.get(), nullptr, name.get(), pub.get(), m_keys.private_key(kRootKeyLabel),
                                    m_config.ca.root_validity_days, "critical,CA:TRUE");
        store("root", root.get(), kRootKeyLabel);
    }
    if (!m_store.ca_material("issuing")) {
        ensure_key(kIssuingKeyLabel, m_config.ca.issuing_key);
        EvpPkeyPtr pub = public_key_from_spki(m_keys.public_key_der(kIssuingKeyLabel));
        X509NamePtr name = parse_name(m_config.ca.issuing_subject);
        X509* root = root_certificate();
        X509Ptr issuing = make_ca_cert(name.get(), root, X509_get_subject_name(root), pub.get(),
                                       m_keys.private_key(kRootKeyLabel), m_config.ca.issuing_validity_days,
                                       "critical,CA:TRUE,pathlen:0");
        store("issuing", issuing.get(), kIssuingKeyLabel);
    }
    struct Service {
        const char* material;
        const char* label;
        const std::string& subject;
        const char* profile;
    };
    for (const Service& s : {Service{"ocsp", kOcspKeyLabel, m_config.ca.ocsp_subject, "ocsp"},
                             Service{"tsa", kTsaKeyLabel, m_config.ca.tsa_subject, "tsa"},
                             Service{"audit", kAuditKeyLabel, m_config.ca.audit_subject, "tsa"},
                             Service{"transparency", kTransparencyKeyLabel, m_config.ca.transparency_subject, "tsa"},
                             Service{"validation", kValidationKeyLabel, m_config.ca.validation_subject, "tsa"}}) {
        if (m_store.ca_material(s.material)) continue;
        ensure_key(s.label, m_config.ca.service_key);
        EvpPkeyPtr pub = public_key_from_spki(m_keys.public_key_der(s.label));
        X509NamePtr name = parse_name(s.subject);
        core::CertificateProfile p = profile(s.profile);
        if (std::string(s.material) != "ocsp" && std::string(s.material) != "tsa") {
            // internal profiles: sign audit chain heads / the signing log's tree heads / validation reports only
            p.name = s.material;
            p.extended_key_usage.clear();
        }
        std::string no_email;
        X509Ptr cert = build_and_sign(pub.get(), name.get(), p, no_email, actor);
        record_issued(X509Ptr(X509_dup(cert.get())), p.name, actor);
        store(s.material, cert.get(), s.label);
    }
    if (!m_store.latest_crl()) publish_crl(actor);
}

X509Ptr CertificateAuthority::build_and_sign(EVP_PKEY* subject_key, X509_NAME* subject,
                                             const core::CertificateProfile& p, const std::string& email,
                                             const std::string& actor) {
    X509* issuer = issuing_certificate();
    std::int64_t now = m_clock.unix_seconds();
    std::int64_t not_after = now + static_cast<std::int64_t>(p.validity_days) * kSecondsPerDay;
    // RFC 5280 §6.1.3 (a)(2): a certificate outliving its issuer fails path validation later; cap it.
    std::int64_t issuer_not_after = asn1_to_unix(X509_get0_notAfter(issuer));
    not_after = std::min(not_after, issuer_not_after);

    X509Ptr cert(X509_new());
    X509_set_version(cert.get(), X509_VERSION_3);
    Asn1IntegerPtr serial = random_serial();
    X509_set_serialNumber(cert.get(), serial.get());
    X509_set_issuer_name(cert.get(), X509_get_subject_name(issuer));
    X509_set_subject_name(cert.get(), subject);
    time_t nb = static_cast<time_t>(now), na = static_cast<time_t>(not_after);
    X509_time_adj_ex(X509_getm_notBefore(cert.get()), 0, 0, &nb);
    X509_time_adj_ex(X509_getm_notAfter(cert.get()), 0, 0, &na);
    X509_set_pubkey(cert.get(), subject_key);

    ExtensionContext ext(issuer, cert.get(), nullptr);
    X509V3_CTX& ctx = ext.ctx;
    const std::string& base = m_config.ca.base_url;
    add_ext(cert.get(), &ctx, NID_basic_constraints, "critical,CA:FALSE");
    add_ext(cert.get(), &ctx, NID_key_usage, p.key_usage);
    if (!p.extended_key_usage.empty()) add_ext(cert.get(), &ctx, NID_ext_key_usage, p.extended_key_usage);
    add_ext(cert.get(), &ctx, NID_subject_key_identifier, "hash");
    add_ext(cert.get(), &ctx, NID_authority_key_identifier, "keyid:always");
    if (!p.policy_oids.empty()) {
        std::string policies;
        for (const auto& oid : p.policy_oids) policies += (policies.empty() ? "" : ",") + oid;
        add_ext(cert.get(), &ctx, NID_certificate_policies, policies);  // RFC 5280 §4.2.1.4
    }
    if (p.crl_distribution_point) add_ext(cert.get(), &ctx, NID_crl_distribution_points, "URI:" + base + "/repo/issuing.crl");
    if (p.authority_info_access)  // RFC 5280 §4.2.2.1
        add_ext(cert.get(), &ctx, NID_info_access, "OCSP;URI:" + base + "/ocsp,caIssuers;URI:" + base + "/repo/issuing.crt");
    if (p.ocsp_no_check) add_ext(cert.get(), &ctx, NID_id_pkix_OCSP_noCheck, "ignored");  // RFC 6960 §4.2.2.2.1
    if (p.email_in_subject_alt_name && !email.empty()) add_ext(cert.get(), &ctx, NID_subject_alt_name, "email:" + email);

    // Boulder's rule: audit before and after every CA signature. This "before" event survives even when signing or the
    // database write after it fails; the "after" event is written with the certificate row.
    m_store.record_event(audit::Event{actor, "ca.certificate.signing",
                                      "certificate:" + serial_hex(X509_get_serialNumber(cert.get())),
                                      audit::details({{"profile", p.name}, {"subject", name_text(subject)}}), now});
    EVP_PKEY* ca_key = m_keys.private_key(kIssuingKeyLabel);
    if (X509_sign(cert.get(), ca_key, digest_for(ca_key)) <= 0)
        throw Error("ca.sign_failed", 500, "the HSM could not sign the certificate: " + openssl_errors());
    return cert;
}

IssuedCertificate CertificateAuthority::signed_certificate(X509Ptr cert, const std::string& profile_name) {
    IssuedCertificate out;
    CertificateRecord& r = out.record;
    r.serial = serial_hex(X509_get_serialNumber(cert.get()));
    r.profile = profile_name;
    r.subject = name_text(X509_get_subject_name(cert.get()));
    r.not_before = asn1_to_unix(X509_get0_notBefore(cert.get()));
    r.not_after = asn1_to_unix(X509_get0_notAfter(cert.get()));
    r.der = to_der(cert.get());
    out.certificate = std::move(cert);
    return out;
}

void CertificateAuthority::store_issued(const IssuedCertificate& issued, const std::string& actor) {
    // The issuance event is written in the same transaction as the certificate row: a certificate never exists without
    // its audit record.
    const CertificateRecord& r = issued.record;
    m_store.insert_certificate(r, audit::Event{actor, "ca.certificate.issued", "certificate:" + r.serial,
                                               audit::details({{"profile", r.profile}, {"subject", r.subject}}),
                                               m_clock.unix_seconds()});
}

void CertificateAuthority::presign_status(const IssuedCertificate& issued) noexcept {
    try {
        if (m_store.ca_material("ocsp")) m_store.put_ocsp_response(OcspResponder::presign(*this, issued.record));
    } catch (const std::exception& e) {
        spdlog::warn("the OCSP response of certificate {} was not pre-signed ({}); the responder signs it on demand",
                     issued.record.serial, e.what());
    }
}

IssuedCertificate CertificateAuthority::record_issued(X509Ptr cert, const std::string& profile_name,
                                                      const std::string& actor) {
    IssuedCertificate out = signed_certificate(std::move(cert), profile_name);
    store_issued(out, actor);
    presign_status(out);
    return out;
}

IssuedCertificate CertificateAuthority::issue_from_csr(const core::Bytes& csr, const std::string& profile_name,
                                                       const std::string& actor) {
    const core::CertificateProfile& p = profile(profile_name);
    X509ReqPtr req = parse_csr(csr);
    EVP_PKEY* pub = X509_REQ_get0_pubkey(req.get());
    if (pub == nullptr) throw_bad_input("ca.bad_csr", "the request carries no usable public key");
    check_key_acceptable(pub);
    if (X509_REQ_verify(req.get(), pub) != 1) {  // RFC 2986 §3: the signature proves possession of the private key
        openssl_errors();
        throw_bad_input("ca.csr_signature_invalid", "the request's signature does not verify (no proof of possession)");
    }
    std::string email;
    X509NamePtr subject = profile_subject(p, subject_fields(X509_REQ_get_subject_name(req.get())), email);
    return record_issued(build_and_sign(pub, subject.get(), p, email, actor), profile_name, actor);
}

IssuedCertificate CertificateAuthority::sign_for_public_key(const core::Bytes& spki_der, const SubjectFields& fields,
                                                            const std::string& profile_name, const std::string& actor) {
    const core::CertificateProfile& p = profile(profile_name);
    EvpPkeyPtr pub = public_key_from_spki(spki_der);
    check_key_acceptable(pub.get());
    std::string email;
    X509NamePtr subject = profile_subject(p, fields, email);
    return signed_certificate(build_and_sign(pub.get(), subject.get(), p, email, actor), profile_name);
}

void CertificateAuthority::revoke(const std::string& serial_in, const std::string& reason,
                                  std::optional<std::int64_t> invalidity_date, const std::string& actor) {
    std::string serial = serial_in;
    std::transform(serial.begin(), serial.end(), serial.begin(), [](unsigned char c) { return std::tolower(c); });
    while (serial.size() > 1 && serial[0] == '0') serial.erase(0, 1);
    if (serial.empty() || serial.find_first_not_of("0123456789abcdef") != std::string::npos)
        throw_bad_input("ca.bad_serial", "the serial number must be hexadecimal");
    reason_code(reason);  // validates the name before anything is written
    std::int64_t now = m_clock.unix_seconds();
    if (invalidity_date && *invalidity_date > now)
        throw_bad_input("ca.bad_invalidity_date", "the invalidity date cannot be in the future");
    auto details = audit::details({{"reason", reason}});
    // #14: the revocation commits first, with no signature inside; the HSM signs the revoked OCSP answer and the CRL
    // after it. Until the answer is stored every node's responder signs live from the revoked row (the old answer was
    // dropped in the same transaction).
    CertificateRecord revoked = m_store.revoke_certificate(
        serial, reason, now, invalidity_date, audit::Event{actor, "ca.certificate.revoked", "certificate:" + serial, details, now});
    try {
        if (m_store.ca_material("ocsp")) m_store.put_ocsp_response(OcspResponder::presign(*this, revoked));
    } catch (const Error&) {
        // The revocation stands; the responder signs the answer on the first request.
    }
    try {
        publish_crl(actor);
    } catch (const Error&) {
        // The revocation stands (and OCSP already says so); the scheduled CRL job publishes on its next run.
    }
}

CrlRecord CertificateAuthority::build_crl(std::int64_t number, std::vector<CrlEntry>& revoked) {
    X509* issuer = issuing_certificate();
    std::int64_t now = m_clock.unix_seconds();
    std::int64_t next = now + static_cast<std::int64_t>(m_config.ca.crl_validity_hours) * 3600;
    // OpenSSL builds everything except the entries: version, signature algorithm, issuer, times, extensions.
    X509CrlPtr crl(X509_CRL_new());
    X509_CRL_set_version(crl.get(), X509_CRL_VERSION_2);
    X509_CRL_set_issuer_name(crl.get(), X509_get_subject_name(issuer));
    Asn1TimePtr this_update(ASN1_TIME_set(nullptr, static_cast<time_t>(now)));
    Asn1TimePtr next_update(ASN1_TIME_set(nullptr, static_cast<time_t>(next)));
    X509_CRL_set1_lastUpdate(crl.get(), this_update.get());
    X509_CRL_set1_nextUpdate(crl.get(), next_update.get());
    ExtensionContext ext(issuer, nullptr, crl.get());
    X509ExtPtr aki(X509V3_EXT_nconf_nid(nullptr, &ext.ctx, NID_authority_key_identifier, "keyid:always"));  // §5.2.1
    X509_CRL_add_ext(crl.get(), aki.get(), -1);
    Asn1IntegerPtr crl_number(ASN1_INTEGER_new());  // RFC 5280 §5.2.3
    ASN1_INTEGER_set_int64(crl_number.get(), number);
    X509_CRL_add1_ext_i2d(crl.get(), NID_crl_number, crl_number.get(), 0, 0);
    EVP_PKEY* key = m_keys.private_key(kIssuingKeyLabel);
    const EVP_MD* md = digest_for(key);
    if (X509_CRL_sign(crl.get(), key, md) <= 0)  // fills both AlgorithmIdentifiers for us
        throw Error("ca.sign_failed", 500, "the HSM could not sign the CRL: " + openssl_errors());
    unsigned char* tbs_raw = nullptr;
    int tbs_len = i2d_re_X509_CRL_tbs(crl.get(), &tbs_raw);
    if (tbs_len <= 0) throw Error("pki.encode_failed", 500, "cannot encode the CRL: " + openssl_errors());
    core::Bytes template_tbs(tbs_raw, tbs_raw + tbs_len);
    OPENSSL_free(tbs_raw);
    const X509_ALGOR* alg = nullptr;
    X509_CRL_get0_signature(crl.get(), nullptr, &alg);
    unsigned char* alg_raw = nullptr;
    int alg_len = i2d_X509_ALGOR(alg, &alg_raw);
    core::Bytes algorithm(alg_raw, alg_raw + std::max(alg_len, 0));
    OPENSSL_free(alg_raw);

    // #19: the CRL is written once, into the buffer it is stored from. RFC 5280 §5.1: CertificateList ::= SEQUENCE {
    // tbsCertList, signatureAlgorithm, signatureValue BIT STRING }. The outer header's length depends on the
    // signature's, so the TBSCertList goes in after room for the longest header and the header is put in front of it
    // once the signature is known.
    constexpr std::size_t kHeaderRoom = 1 + 1 + sizeof(std::size_t);
    constexpr std::size_t kSignatureRoom = 16 + 4096 / 8;  // BIT STRING header + the largest RSA signature
    const std::size_t tbs_size = tbs_with_revoked_size(template_tbs, revoked);
    core::Bytes out;
    out.reserve(kHeaderRoom + tbs_size + algorithm.size() + kSignatureRoom);
    out.resize(kHeaderRoom);
    append_tbs_with_revoked(out, template_tbs, revoked);
    if (out.size() != kHeaderRoom + tbs_size) throw Error("pki.encode_failed", 500, "the CRL's length came out wrong");
    { std::vector<CrlEntry>().swap(revoked); }  // the entries are in `out` now

    // The digest streams over the TBSCertList where it lies; only the digest goes to the HSM.
    OsslPtr<EVP_MD_CTX, EVP_MD_CTX_free> ctx(EVP_MD_CTX_new());
    std::size_t sig_len = 0;
    const unsigned char* tbs_bytes = out.data() + kHeaderRoom;
    if (EVP_DigestSignInit(ctx.get(), nullptr, md, nullptr, key) != 1 ||
        EVP_DigestSign(ctx.get(), nullptr, &sig_len, tbs_bytes, tbs_size) != 1)
        throw Error("ca.sign_failed", 500, "the HSM could not sign the CRL: " + openssl_errors());
    core::Bytes signature(sig_len + 1, 0);  // leading byte: 0 unused bits
    if (EVP_DigestSign(ctx.get(), signature.data() + 1, &sig_len, tbs_bytes, tbs_size) != 1)
        throw Error("ca.sign_failed", 500, "the HSM could not sign the CRL: " + openssl_errors());
    signature.resize(sig_len + 1);
    out.insert(out.end(), algorithm.begin(), algorithm.end());
    core::Bytes bit_string = der_wrap(0x03, signature);
    out.insert(out.end(), bit_string.begin(), bit_string.end());

    core::Bytes header;
    header.push_back(0x30);
    der_append_length(header, out.size() - kHeaderRoom);
    const std::size_t start = kHeaderRoom - header.size();
    std::copy(header.begin(), header.end(), out.begin() + static_cast<std::ptrdiff_t>(start));
    out.erase(out.begin(), out.begin() + static_cast<std::ptrdiff_t>(start));
    return CrlRecord{number, now, next, std::move(out)};
}

// #14: audited around the HSM, with no transaction open while it signs: "ca.crl.signing" (number and entries,
// committed with the reservation), then "ca.crl.published" with the CRL row, or "ca.crl.signing_failed".
CrlRecord CertificateAuthority::publish_crl(const std::string& actor) {
    // #19: the rows stream into compact entries (serial bytes, time, reason code): no list of strings is built
    std::vector<CrlEntry> revoked;
    const std::int64_t number = m_store.reserve_crl(
        audit::Event{actor, "ca.crl.signing", "crl", "{}", m_clock.unix_seconds()}, [&](const RevokedRow& r) {
            CrlEntry e;
            set_serial_from_hex(e, r.serial);
            e.revocation_time = r.revoked_at;
            e.reason = static_cast<std::uint8_t>(reason_code(r.reason.empty() ? std::string_view("unspecified") : r.reason));
            e.invalidity_date = r.invalidity_date;
            revoked.push_back(e);
        });
    const std::string object = "crl:" + std::to_string(number);
    const std::string entries = std::to_string(revoked.size());
    CrlRecord crl;
    try {
        crl = build_crl(number, revoked);
    } catch (const Error& e) {
        m_store.record_event(audit::Event{actor, "ca.crl.signing_failed", object, audit::details({{"error", e.code()}}),
                                          m_clock.unix_seconds()});
        throw;
    }
    m_store.store_crl(crl, audit::Event{actor, "ca.crl.published", object, audit::details({{"entries", entries}}),
                                        m_clock.unix_seconds()});
    return crl;
}

std::optional<CertificateRecord> CertificateAuthority::find_certificate(const std::string& serial) {
    return m_store.find_certificate(serial);
}

std::optional<CrlRecord> CertificateAuthority::latest_crl() { return m_store.latest_crl(); }

std::optional<CaMaterial> CertificateAuthority::ca_material(const std::string& name) { return m_store.ca_material(name); }

bool CertificateAuthority::renewal_open(const CertificateRecord& certificate) const {
    std::int64_t now = m_clock.unix_seconds();
    return certificate.status == "valid" && certificate.not_after > now &&
           certificate.not_after - now <= static_cast<std::int64_t>(m_config.ca.renewal_window_days) * 86400;
}

std::int64_t CertificateAuthority::days_left(std::int64_t not_after) const {
    return std::max<std::int64_t>((not_after - m_clock.unix_seconds()) / 86400, 0);
}

}  // namespace yq::pki
