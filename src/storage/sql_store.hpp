#pragma once
// storage's implementation of the repositories the domain components declare.
#include <memory>

#include "audit/event.hpp"
#include "notices/outbox.hpp"
#include "pades/signature_records.hpp"
#include "pki/ca_store.hpp"
#include "accounts/account.hpp"
#include "ra/appointments.hpp"
#include "ra/registry_store.hpp"
#include "ra/staff.hpp"
#include "signing/session_store.hpp"
#include "storage/database.hpp"

namespace yq::storage {

class SqlStore final : public pki::CaStore,
                       public audit::AuditReader,
                       public ra::StaffStore,
                       public accounts::AccountStore,
                       public ra::AppointmentStore,
                       public ra::RegistryStore,
                       public signing::SessionStore,
                       public pades::SignatureRecordStore,
                       public notices::Outbox {
public:
    explicit SqlStore(Database& db) : m_db(db) {}

    // pki::CaStore
    void put_ca_material(const pki::CaMaterial& m, const audit::Event& e) override;
    std::optional<pki::CaMaterial> ca_material(const std::string& name) override;
    void insert_certificate(const pki::CertificateRecord& r, const audit::Event& e) override;
    std::optional<pki::CertificateRecord> find_certificate(const std::string& serial) override;
    std::vector<pki::CertificateRecord> list_certificates(std::int64_t limit, std::int64_t offset) override;
    pki::CertificateRecord revoke_certificate(const std::string& serial, const std::string& reason,
                                              std::int64_t revoked_at, std::optional<std::int64_t> invalidity_date,
                                              const audit::Event& e) override;
    std::int64_t reserve_crl(const audit::Event& before, const pki::RevokedSink& each) override;
    void store_crl(const pki::CrlRecord& crl, const audit::Event& after) override;
    std::optional<pki::CrlRecord> latest_crl() override;
    bool put_ocsp_response(const pki::OcspRecord& r) override;
    std::optional<pki::OcspRecord> ocsp_response(const std::string& serial) override;
    std::int64_t status_epoch() override;
    TsaSerial next_tsa_serial(std::int64_t gen_time_ms) override;

    // audit::AuditReader
    std::vector<audit::StoredEvent> all_events() override;
    std::vector<audit::HeadSignature> head_signatures() override;
    std::optional<audit::StoredEvent> head() override;
    std::int64_t recorded_head_seq() override;
    void store_head_signature(const audit::HeadSignature& s) override;
    std::vector<audit::StoredEvent> search_events(const audit::EventFilter& f) override;

    // ra::StaffStore
    std::optional<ra::StaffUser> find_staff(const std::string& username) override;
    std::vector<ra::StaffUser> list_staff() override;
    void create_staff(const ra::StaffUser& user, const audit::Event& e) override;
    void set_staff_password(const std::string& username, const std::string& password_hash,
                            const core::Bytes& keep_token_hash, const audit::Event& e) override;
    void reset_staff_sign_in(const std::string& username, const std::string& password_hash,
                             const core::Bytes& approval_part_sealed, const std::string& requested_by,
                             const audit::Event& e) override;
    bool approve_staff_sign_in(const std::string& username, const core::Bytes& approval_part_sealed,
                               const audit::Event& e) override;
    bool cancel_staff_sign_in(const std::string& username, const audit::Event& e) override;
    ra::LoginFailure record_staff_login_failure(const std::string& username, int threshold,
                                                const audit::Event& e) override;
    bool accept_staff_login(const std::string& username, std::int64_t totp_step) override;
    bool accept_staff_first_sign_in(const std::string& username) override;
    bool enrol_staff_totp(const std::string& username, const core::Bytes& totp_secret_sealed, std::int64_t step,
                          const audit::Event& e) override;
    void put_staff_token(const core::Bytes& token_hash, const std::string& username, std::int64_t expires_at,
                         const audit::Event& e) override;
    std::optional<std::string> staff_token_user(const core::Bytes& token_hash, std::int64_t now) override;
    void revoke_staff_token(const core::Bytes& token_hash, const audit::Event& e) override;

    // accounts::AccountStore
    void create_account(const accounts::Account& a, const std::optional<accounts::Credential>& c,
                        const audit::Event& e) override;
    void reset_sign_in(const std::string& account_id, const std::string& login_password_hash,
                       const audit::Event& e) override;
    void add_first_credential(const accounts::Credential& c, const std::vector<std::string>& replaced_ids,
                              const audit::Event& e) override;
    std::optional<accounts::Account> account_by_username(const std::string& username) override;
    std::optional<accounts::Account> account_by_id(const std::string& id) override;
    void enrol_totp(const std::string& account_id, const core::Bytes& sealed_secret, std::int64_t enrolled_at,
                    std::int64_t step, const audit::Event& e) override;
    std::vector<accounts::Credential> credentials_of(const std::string& account_id) override;
    std::optional<accounts::Credential> credential(const std::string& id) override;
    void set_signing_notices(const std::string& account_id, const std::string& mode, const audit::Event& e) override;
    std::vector<accounts::ExpiringCredential> credentials_expiring(std::int64_t from, std::int64_t to) override;
    accounts::FailureResult record_signing_failure(const std::string& account_id, int threshold,
                                                   const audit::Event& e, const audit::Event& locked) override;
    bool record_signing_success(const std::string& account_id) override;
    bool accept_totp_step(const std::string& account_id, std::int64_t step) override;
    void set_status(const std::string& account_id, const std::string& expected, const std::string& status,
                    const audit::Event& e) override;
    void set_login_password(const std::string& account_id, const std::string& hash, const core::Bytes& keep_token_hash,
                            const audit::Event& e) override;
    void reseal_credentials(const std::vector<accounts::Credential>& before,
                            const std::vector<custody::SealedKey>& after, const core::Bytes& keep_token_hash,
                            const audit::Event& e) override;
    void replace_credential(const std::string& old_credential_id, const accounts::Credential& replacement,
                            const audit::Event& e) override;

    // ra::AppointmentStore
    void book(const ra::Appointment& a, const core::Bytes& code_mac, int capacity, std::int64_t now,
              const audit::Event& e) override;
    std::optional<ra::Appointment> by_code(const core::Bytes& code_mac) override;
    std::optional<ra::Appointment> appointment_by_id(const std::string& id) override;
    bool cancel(const ra::Appointment& a, const audit::Event& e) override;
    int bookings_in_slot(std::int64_t slot_start) override;
    bool mark_attended(const std::string& id, const audit::Event& e) override;
    std::vector<ra::Appointment> appointments_between(std::int64_t from, std::int64_t to) override;

    // ra::RegistryStore
    void atomically(const std::function<void()>& fn) override;
    void insert_record(const ra::StoredRecord& r, const std::vector<std::string>& unique_keys,
                       const std::vector<core::Bytes>& identity_macs, const audit::Event& e) override;
    bool update_record(const ra::StoredRecord& r, std::int64_t expected_version,
                       const std::vector<std::string>& release_keys, const std::vector<core::Bytes>& identity_macs,
                       const audit::Event& e) override;
    std::optional<ra::StoredRecord> record(const std::string& id) override;
    std::vector<ra::StoredRecord> records(const std::string& kind, const std::string& agency_id,
                                          const std::string& status) override;
    std::vector<ra::StoredRecord> records_with_identity(const core::Bytes& mac) override;
    std::optional<std::string> unique_key_owner(const std::string& key) override;
    void put_document(const ra::StoredDocument& d, std::int64_t now, const audit::Event& e) override;
    std::optional<ra::StoredDocument> document(const std::string& sha256) override;
    void attach(const std::string& record_id, const ra::Attachment& a, const audit::Event& e) override;
    std::vector<ra::Attachment> attachments(const std::string& record_id) override;

    // signing::SessionStore
    void put_token(const core::Bytes& token_hash, const std::string& account_id, std::int64_t expires_at,
                   bool second_factor, const audit::Event& e) override;
    std::optional<signing::TokenSession> token_session(const core::Bytes& token_hash, std::int64_t now) override;
    void confirm_second_factor(const core::Bytes& token_hash, const audit::Event& e) override;
    void revoke_token(const core::Bytes& token_hash, const audit::Event& e) override;
    void put_sad(const signing::SadRecord& sad, const audit::Event& e) override;
    std::optional<signing::SadRecord> sad(const std::string& id, std::int64_t now) override;
    bool update_sad(const signing::SadRecord& next, std::int64_t now, const audit::Event& e) override;
    bool delete_sad(const std::string& id, std::int64_t version, std::int64_t now, const audit::Event& e) override;
    bool replace_sad(const std::string& old_id, std::int64_t old_version, const signing::SadRecord& replacement,
                     std::int64_t now, const audit::Event& e) override;
    int delete_expired_sads(std::int64_t now) override;

    // Records an event on its own (for actions whose state lives outside the database, e.g. HSM key generation).
    void record_event(const audit::Event& e) override;

    Database& database() { return m_db; }

    // pades::SignatureRecordStore
    void record_signature(const pades::SignatureRecord& r, const audit::Event& e) override;
    std::optional<pades::SignatureRecord> signature_by_reference(const std::string& reference) override;

    // notices::Outbox
    std::vector<notices::QueuedNotice> claim_due(const std::string& claim_token, std::int64_t now,
                                                 std::int64_t lease_until, int limit) override;
    bool mark_sent(const std::vector<std::int64_t>& ids, const std::string& claim_token, std::int64_t now,
                   const audit::Event& e) override;
    bool mark_failed(const std::vector<std::int64_t>& ids, const std::string& claim_token, std::int64_t next_attempt_at,
                     const std::string& error, bool abandon, const audit::Event& e) override;
    void release(const std::string& claim_token) override;
    bool queued_once(const std::string& dedupe_key) override;
    std::vector<notices::NoticeStatus> recent_notices(int limit) override;

private:
    // Throws "audit.event_inside_unit_of_work" inside a unit of work: what `action` records is committed on its own,
    // before the HSM acts (and so never rolled back with, nor holding the database across, what follows).
    void require_own_commit(const std::string& action) const;

    Database& m_db;
};

}  // namespace yq::storage
