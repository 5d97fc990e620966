#pragma once
// Hash-chained audit events (design "Audit"): hash = SHA-256(prev_hash ‖ canonical JSON of the event), genesis
// prev_hash = 32 zero bytes. Canonical JSON = keys sorted, no whitespace, UTF-8 (nlohmann::json's dump of an object).
// Never put secrets or ID numbers in clear into `details`.
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "core/bytes.hpp"
#include "audit/notice.hpp"

namespace yq::audit {

struct Event {
    std::string actor;    // "cli:root", "staff:alice", "system"
    std::string action;   // "ca.certificate.issued"
    std::string object;   // "certificate:4f…"
    std::string details;  // JSON object text
    std::int64_t time = 0;  // unix seconds
    // #16: the e-mail notices this change sends, queued in the same transaction as the event (not part of the hashed
    // event: the chain records the change; the queue records who is told of it).
    std::vector<Notice> notices = {};
};

struct StoredEvent {
    std::int64_t seq = 0;
    Event event;
    core::Bytes prev_hash;
    core::Bytes hash;
};

// Builds `details` from key/value pairs (values as JSON strings).
std::string details(std::initializer_list<std::pair<std::string, std::string>> fields);

std::string canonical_json(std::int64_t seq, const Event& e);
core::Bytes chain_hash(const core::Bytes& prev_hash, std::int64_t seq, const Event& e);
core::Bytes genesis_hash();

struct HeadSignature {
    std::int64_t seq = 0;
    core::Bytes hash;
    core::Bytes signature;  // ECDSA/RSA over SHA-256("yunqian-audit-head" ‖ seq(8, big-endian) ‖ hash)
    std::int64_t signed_at = 0;
};
core::Bytes head_signature_digest(std::int64_t seq, const core::Bytes& hash);

struct VerifyReport {
    bool ok = true;
    std::int64_t events_checked = 0;
    std::int64_t signatures_checked = 0;
    std::optional<std::int64_t> first_broken_seq;
    std::string problem;  // what is wrong at first_broken_seq
};

// Recomputes the chain over events in seq order and checks each head signature with the audit signer's public key
// (SubjectPublicKeyInfo DER; empty = skip signatures).
VerifyReport verify_chain(const std::vector<StoredEvent>& events, const std::vector<HeadSignature>& signatures,
                          const core::Bytes& signer_public_key_der);

// #14: the server signs the chain head every interval (and when it stops), so every event older than `max_age` must be
// covered by a head signature (seq ≤ the newest signed seq). An uncovered old event means the signer did not run or
// its signatures were removed. Returns what is wrong, or "" when nothing is.
std::string unsigned_events_problem(const std::vector<StoredEvent>& events, const std::vector<HeadSignature>& signatures,
                                    std::int64_t now, std::int64_t max_age);

// Records an event with no state change of its own in the database (e.g. a document signed: the document is not
// kept), in its own transaction — committed when the call returns, so evidence written before an HSM operation stays
// even when the operation or what follows it fails. Called inside a unit of work (where it would roll back with the
// rest) it throws 500 "audit.event_inside_unit_of_work" and writes nothing (#14: the CA's "before" event must survive
// a rollback, so no CA signature runs inside a unit of work).
class EventRecorder {
public:
    virtual ~EventRecorder() = default;
    virtual void record_event(const Event& e) = 0;
};

// What the auditor searches by; empty strings and zero times do not filter.
struct EventFilter {
    std::string object;  // exact ("application:app_…") or a prefix ending in '*' ("application:*")
    std::string actor;
    std::string action;
    std::int64_t from = 0;  // unix seconds, inclusive
    std::int64_t to = 0;    // exclusive
    std::int64_t limit = 200;
};

// The read side `yunqian audit verify` and the auditor's search need; storage implements it.
class AuditReader {
public:
    virtual ~AuditReader() = default;
    virtual std::vector<StoredEvent> all_events() = 0;
    virtual std::vector<HeadSignature> head_signatures() = 0;
    virtual std::optional<StoredEvent> head() = 0;
    // The sequence number the chain head row records (catches events removed from the end).
    virtual std::int64_t recorded_head_seq() = 0;
    virtual void store_head_signature(const HeadSignature& s) = 0;
    // Newest first.
    virtual std::vector<StoredEvent> search_events(const EventFilter& f) = 0;
};

}  // namespace yq::audit
