#pragma once
// storage's implementation of the repositories the domain components declare.
#include <memory>

#include "audit/event.hpp"
#include "pki/ca_store.hpp"
#include "ra/staff.hpp"
#include "storage/database.hpp"

namespace yq::storage {

class SqlStore final : public pki::CaStore, public audit::AuditReader, public ra::StaffStore {
public:
    explicit SqlStore(Database& db) : m_db(db) {}

    // pki::CaStore
    void put_ca_material(const pki::CaMaterial& m, const audit::Event& e) override;
    std::optional<pki::CaMaterial> ca_material(const std::string& name) override;
    void insert_certificate(const pki::CertificateRecord& r, const audit::Event& e) override;
    std::optional<pki::CertificateRecord> find_certificate(const std::string& serial) override;
    std::vector<pki::CertificateRecord> list_certificates(std::int64_t limit, std::int64_t offset) override;
    std::vector<pki::CertificateRecord> revoked_certificates() override;
    void revoke_certificate(const std::string& serial, const std::string& reason, std::int64_t revoked_at,
                            std::optional<std::int64_t> invalidity_date,
                            const std::function<pki::OcspRecord(const pki::CertificateRecord&)>& sign_response,
                            const audit::Event& e) override;
    pki::CrlRecord publish_crl(const CrlBuilder& build, const audit::Event& e) override;
    std::optional<pki::CrlRecord> latest_crl() override;
    void put_ocsp_response(const pki::OcspRecord& r) override;
    std::optional<pki::OcspRecord> ocsp_response(const std::string& serial) override;
    std::int64_t status_epoch() override;
    std::int64_t next_tsa_serial() override;

    // audit::AuditReader
    std::vector<audit::StoredEvent> all_events() override;
    std::vector<audit::HeadSignature> head_signatures() override;
    std::optional<audit::StoredEvent> head() override;
    std::int64_t recorded_head_seq() override;
    void store_head_signature(const audit::HeadSignature& s) override;

    // ra::StaffStore
    std::optional<ra::StaffUser> find_staff(const std::string& username) override;
    void create_staff(const ra::StaffUser& user, const audit::Event& e) override;
    void set_staff_password(const std::string& username, const std::string& password_hash, bool must_change,
                            const audit::Event& e) override;

    // Records an event on its own (for actions whose state lives outside the database, e.g. HSM key generation).
    void record_event(const audit::Event& e) override;

    Database& database() { return m_db; }

private:
    Database& m_db;
};

}  // namespace yq::storage
