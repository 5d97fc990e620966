#include "storage/sql_store.hpp"

#include <algorithm>

#include "core/error.hpp"
#include "storage/audit_append.hpp"
#include "storage/sql/audit_sql.hpp"
#include "storage/sql/ca_sql.hpp"

namespace yq::storage {

namespace {

pki::CertificateRecord certificate_from_row(const Row& r) {
    pki::CertificateRecord c;
    c.serial = r.text(0);
    c.profile = r.text(1);
    c.subject = r.text(2);
    c.not_before = r.integer(3);
    c.not_after = r.integer(4);
    c.der = r.blob(5);
    c.status = r.text(6);
    c.revoked_at = r.optional_integer(7);
    c.reason = r.text(8);
    c.invalidity_date = r.optional_integer(9);
    return c;
}

audit::StoredEvent event_from_row(const Row& r) {
    audit::StoredEvent s;
    s.seq = r.integer(0);
    s.event.time = r.integer(1);
    s.event.actor = r.text(2);
    s.event.action = r.text(3);
    s.event.object = r.text(4);
    s.event.details = r.text(5);
    s.prev_hash = r.blob(6);
    s.hash = r.blob(7);
    return s;
}

Value optional_value(std::optional<std::int64_t> v) { return v ? Value(*v) : Value(std::monostate{}); }

}  // namespace

void SqlStore::put_ca_material(const pki::CaMaterial& m, const audit::Event& e) {
    m_db.transact([&](Connection& c) {
        c.execute(sql::kUpsertCaMaterial, {m.name, m.certificate_der, m.key_label, e.time});
        append_audit_event(c, e);
    });
}

std::optional<pki::CaMaterial> SqlStore::ca_material(const std::string& name) {
    std::optional<pki::CaMaterial> out;
    m_db.with_connection([&](Connection& c) {
        if (auto r = c.query_one(sql::kSelectCaMaterial, {name})) out = pki::CaMaterial{r->text(0), r->blob(1), r->text(2)};
    });
    return out;
}

void SqlStore::insert_certificate(const pki::CertificateRecord& r, const audit::Event& e) {
    m_db.transact([&](Connection& c) {
        c.execute(sql::kInsertCertificate, {r.serial, r.profile, r.subject, r.not_before, r.not_after, r.der, e.time});
        append_audit_event(c, e);
    });
}

std::optional<pki::CertificateRecord> SqlStore::find_certificate(const std::string& serial) {
    std::optional<pki::CertificateRecord> out;
    m_db.with_connection([&](Connection& c) {
        if (auto r = c.query_one(sql::kSelectCertificate, {serial})) out = certificate_from_row(*r);
    });
    return out;
}

std::vector<pki::CertificateRecord> SqlStore::list_certificates(std::int64_t limit, std::int64_t offset) {
    std::vector<pki::CertificateRecord> out;
    m_db.with_connection([&](Connection& c) {
        for (const Row& r : c.query(sql::kListCertificates, {limit, offset})) out.push_back(certificate_from_row(r));
    });
    return out;
}

pki::CertificateRecord SqlStore::revoke_certificate(const std::string& serial, const std::string& reason,
                                                   std::int64_t revoked_at, std::optional<std::int64_t> invalidity_date,
                                                   const audit::Event& e) {
    require_own_commit(e.action);
    pki::CertificateRecord updated;
    m_db.transact([&](Connection& c) {
        auto row = c.query_one(sql::kSelectCertificate, {serial});
        if (!row) throw_not_found("ca.unknown_serial", "no certificate with serial " + serial + " was issued by this CA");
        if (c.execute(sql::kRevokeCertificate, {serial, revoked_at, reason, optional_value(invalidity_date)}) != 1)
            throw_conflict("ca.already_revoked", "certificate " + serial + " is already revoked");
        updated = certificate_from_row(*c.query_one(sql::kSelectCertificate, {serial}));
        c.execute(sql::kDeleteOcsp, {serial});
        c.query(sql::kNextCounter, {std::string("status_epoch")});
        append_audit_event(c, e);
    });
    return updated;
}

std::int64_t SqlStore::reserve_crl(const audit::Event& before, const pki::RevokedSink& each) {
    require_own_commit(before.action);
    std::int64_t number = 0;
    m_db.transact([&](Connection& c) {
        auto n = c.query_one(sql::kNextCounter, {std::string("crl_number")});
        if (!n) throw Error("db.error", 500, "the crl_number counter is missing");
        number = n->integer(0);
        std::int64_t count = 0;
        c.query_each(sql::kListCrlEntries, {}, [&](const Row& r) {
            const auto* serial = std::get_if<std::string>(&r.value(0));
            const auto* reason = std::get_if<std::string>(&r.value(2));
            each(pki::RevokedRow{serial ? std::string_view(*serial) : std::string_view(), r.integer(1),
                                 reason ? std::string_view(*reason) : std::string_view(), r.optional_integer(3)});
            ++count;
        });
        audit::Event event = before;
        event.object = "crl:" + std::to_string(number);
        event.details = audit::details({{"entries", std::to_string(count)}});
        append_audit_event(c, event);
    });
    return number;
}

void SqlStore::store_crl(const pki::CrlRecord& crl, const audit::Event& after) {
    m_db.transact([&](Connection& c) {
        c.execute(sql::kInsertCrl, {crl.number, crl.this_update, crl.next_update, BlobView(crl.der)});
        append_audit_event(c, after);
    });
}

std::optional<pki::CrlRecord> SqlStore::latest_crl() {
    std::optional<pki::CrlRecord> out;
    m_db.with_connection([&](Connection& c) {
        if (auto r = c.query_one(sql::kLatestCrl)) out = pki::CrlRecord{r->integer(0), r->integer(1), r->integer(2), r->blob(3)};
    });
    return out;
}

bool SqlStore::put_ocsp_response(const pki::OcspRecord& r) {
    bool stored = false;
    m_db.transact([&](Connection& c) {
        if (c.execute(sql::kHoldCertificateStatus, {r.serial, r.certificate_status}) != 1) return;
        c.execute(sql::kUpsertOcsp, {r.serial, r.this_update, r.next_update, r.der});
        stored = true;
    });
    return stored;
}

std::optional<pki::OcspRecord> SqlStore::ocsp_response(const std::string& serial) {
    std::optional<pki::OcspRecord> out;
    m_db.with_connection([&](Connection& c) {
        if (auto r = c.query_one(sql::kSelectOcsp, {serial}))
            out = pki::OcspRecord{r->text(0), r->integer(1), r->integer(2), r->blob(3)};
    });
    return out;
}

std::int64_t SqlStore::status_epoch() {
    std::int64_t v = 0;
    m_db.with_connection([&](Connection& c) { v = c.query_one(sql::kReadCounter, {std::string("status_epoch")})->integer(0); });
    return v;
}

pki::CaStore::TsaSerial SqlStore::next_tsa_serial(std::int64_t gen_time_ms) {
    TsaSerial out;
    m_db.transact([&](Connection& c) {
        out.serial = c.query_one(sql::kNextCounter, {std::string("tsa_serial")})->integer(0);
        out.latest_gen_time_ms = c.query_one(sql::kRaiseTsaLatestTime, {gen_time_ms})->integer(0);
    });
    return out;
}

std::vector<audit::StoredEvent> SqlStore::all_events() {
    std::vector<audit::StoredEvent> out;
    m_db.with_connection([&](Connection& c) {
        for (const Row& r : c.query(sql::kSelectAuditEvents)) out.push_back(event_from_row(r));
    });
    return out;
}

std::vector<audit::HeadSignature> SqlStore::head_signatures() {
    std::vector<audit::HeadSignature> out;
    m_db.with_connection([&](Connection& c) {
        for (const Row& r : c.query(sql::kSelectHeadSignatures))
            out.push_back(audit::HeadSignature{r.integer(0), r.blob(1), r.blob(2), r.integer(3)});
    });
    return out;
}

std::optional<audit::StoredEvent> SqlStore::head() {
    std::optional<audit::StoredEvent> out;
    m_db.with_connection([&](Connection& c) {
        if (auto r = c.query_one(sql::kSelectAuditHeadEvent)) out = event_from_row(*r);
    });
    return out;
}

std::int64_t SqlStore::recorded_head_seq() {
    std::int64_t v = 0;
    m_db.with_connection([&](Connection& c) { v = c.query_one(sql::kSelectAuditHeadRow)->integer(0); });
    return v;
}

void SqlStore::store_head_signature(const audit::HeadSignature& s) {
    m_db.with_connection(
        [&](Connection& c) { c.execute(sql::kInsertHeadSignature, {s.seq, s.hash, s.signature, s.signed_at}); });
}

std::vector<audit::StoredEvent> SqlStore::search_events(const audit::EventFilter& f) {
    std::string q = "SELECT seq, time, actor, action, object, details, prev_hash, hash FROM audit_events WHERE 1 = 1";
    std::vector<Value> params;
    auto add = [&](const std::string& clause, Value v) {
        params.push_back(std::move(v));
        q += " AND " + clause + " $" + std::to_string(params.size());
    };
    if (!f.object.empty()) {
        if (f.object.back() == '*') add("substr(object, 1, " + std::to_string(f.object.size() - 1) + ") =",
                                        f.object.substr(0, f.object.size() - 1));
        else add("object =", f.object);
    }
    if (!f.actor.empty()) add("actor =", f.actor);
    if (!f.action.empty()) add("action =", f.action);
    if (f.from > 0) add("time >=", f.from);
    if (f.to > 0) add("time <", f.to);
    q += " ORDER BY seq DESC LIMIT " + std::to_string(std::clamp<std::int64_t>(f.limit, 1, 1000));
    std::vector<audit::StoredEvent> out;
    m_db.with_connection([&](Connection& c) {
        for (const Row& r : c.query(q, params)) out.push_back(event_from_row(r));
    });
    return out;
}

void SqlStore::require_own_commit(const std::string& action) const {
    if (m_db.in_transaction())
        throw Error("audit.event_inside_unit_of_work", 500,
                    "'" + action + "' must be committed on its own before what it records, not inside a unit of work "
                    "that could roll it back (or hold the database while the HSM signs)");
}

void SqlStore::record_event(const audit::Event& e) {
    require_own_commit(e.action);
    m_db.transact([&](Connection& c) { append_audit_event(c, e); });
}

}  // namespace yq::storage
