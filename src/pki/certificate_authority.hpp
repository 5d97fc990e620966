#pragma once
// The issuing CA: hierarchy creation, issuance from a CSR or an HSM-held public key, revocation and CRLs.
// Keys stay in the HSM; signatures are made through EVP_PKEYs the keystore hands out. Error style: throws yq::Error.
#include <map>
#include <mutex>
#include <optional>
#include <string>

#include "core/clock.hpp"
#include "core/config.hpp"
#include "keystore/keystore.hpp"
#include "pki/ca_store.hpp"
#include "pki/crl_encoder.hpp"
#include "pki/openssl_ptr.hpp"

namespace yq::pki {

// HSM labels of the CA's keys.
inline constexpr const char* kRootKeyLabel = "yq-root-ca";
inline constexpr const char* kIssuingKeyLabel = "yq-issuing-ca";
inline constexpr const char* kOcspKeyLabel = "yq-ocsp-responder";
inline constexpr const char* kTsaKeyLabel = "yq-tsa";
inline constexpr const char* kAuditKeyLabel = "yq-audit-signer";
inline constexpr const char* kTransparencyKeyLabel = "yq-transparency-log";
inline constexpr const char* kValidationKeyLabel = "yq-validation-service";

struct IssuedCertificate {
    CertificateRecord record;
    X509Ptr certificate;
};

// Subject attributes by OpenSSL short name ("CN", "O", "serialNumber", …), used when the key is in our HSM.
using SubjectFields = std::vector<std::pair<std::string, std::string>>;

class CertificateAuthority {
public:
    CertificateAuthority(const core::Config& config, keystore::Keystore& keys, CaStore& store, const core::Clock& clock);

    // Creates what is missing of: root CA, issuing CA, OCSP responder, TSA, audit signer, transparency log and
    // validation service (keys in the HSM, certificates in the database) and publishes the first CRL. Never re-creates an existing key.
    void initialise_hierarchy(const std::string& actor);
    bool initialised();
    // At start-up: a home made before a service certificate existed (the transparency log and the validation service,
    // #18) gets it now, under
    // its existing root and issuing CA. Throws 503 "ca.not_initialised" when there is no hierarchy yet.
    void complete_service_certificates(const std::string& actor);

    // PKCS#10 request in PEM or DER; the request's signature is checked (proof of possession).
    IssuedCertificate issue_from_csr(const core::Bytes& csr, const std::string& profile, const std::string& actor);
    // For keys generated in our HSM (no CSR possible): public key as SubjectPublicKeyInfo DER. Signed (audited
    // before the HSM signs) but not stored: the caller stores it with store_issued() in the same transaction as the
    // credential that holds its key (#17: a crash between two transactions left valid certificates for keys nobody
    // held), then calls presign_status() after the commit.
    IssuedCertificate sign_for_public_key(const core::Bytes& spki_der, const SubjectFields& subject,
                                          const std::string& profile, const std::string& actor);
    // The certificate's row and its "ca.certificate.issued" event; joins the caller's transaction. No HSM work.
    void store_issued(const IssuedCertificate& issued, const std::string& actor);
    // Pre-signs the stored certificate's "good" OCSP response (design: responses are pre-signed). Runs the HSM, so
    // never inside a transaction; a failure is logged, and the responder signs on demand instead.
    void presign_status(const IssuedCertificate& issued) noexcept;

    // RFC 5280 reason name; also refreshes the certificate's OCSP response and publishes a new CRL.
    void revoke(const std::string& serial, const std::string& reason, std::optional<std::int64_t> invalidity_date,
                const std::string& actor);
    CrlRecord publish_crl(const std::string& actor);
    // Builds and signs a CRL for the given revoked entries (sorted in place).
    CrlRecord build_crl(std::int64_t number, std::vector<CrlEntry>& revoked);

    X509* root_certificate();
    X509* issuing_certificate();
    X509* certificate_of(const std::string& material_name);  // "ocsp", "tsa", "audit"

    // What the public repository, the CA administrator's page and the services read (#15: no caller reaches the CA's
    // store, keys, clock or configuration through the CA).
    std::optional<CertificateRecord> find_certificate(const std::string& serial);
    std::optional<CrlRecord> latest_crl();
    std::optional<CaMaterial> ca_material(const std::string& name);  // "root", "issuing", "ocsp", "tsa", …
    // The renewal window (architecture "PKI": ca.renewal_window_days before expiry, a month by default): a valid
    // certificate that has not expired and ends within the window may be renewed now; an expired, revoked or
    // suspended one is applied for again instead. The portal, the signer's API and the office's renewal request all
    // ask this one rule.
    bool renewal_open(const CertificateRecord& certificate) const;
    // Whole days from now until `not_after` (0 once it has passed).
    std::int64_t days_left(std::int64_t not_after) const;

private:
    // The responder and the time-stamping authority sign with the CA's keys, store and clock.
    friend class OcspResponder;
    friend class TimeStampAuthority;
    const core::Config& config() const { return m_config; }
    keystore::Keystore& keys() { return m_keys; }
    CaStore& store() { return m_store; }
    const core::Clock& clock() const { return m_clock; }

    X509Ptr build_and_sign(EVP_PKEY* subject_key, X509_NAME* subject, const core::CertificateProfile& profile,
                           const std::string& email, const std::string& actor);
    IssuedCertificate record_issued(X509Ptr cert, const std::string& profile, const std::string& actor);
    IssuedCertificate signed_certificate(X509Ptr cert, const std::string& profile);
    const core::CertificateProfile& profile(const std::string& name) const;

    const core::Config& m_config;
    keystore::Keystore& m_keys;
    CaStore& m_store;
    const core::Clock& m_clock;
    std::mutex m_cache_mutex;
    std::map<std::string, X509Ptr> m_material;  // loaded CA certificates by material name
};

// The subject of a certificate as (short name, UTF-8 value) pairs, e.g. to re-issue with the same subject.
SubjectFields subject_fields(const X509_NAME* name);

// A random, positive 20-byte serial (RFC 5280 §4.1.2.2 allows up to 20 octets).
Asn1IntegerPtr random_serial();

}  // namespace yq::pki
