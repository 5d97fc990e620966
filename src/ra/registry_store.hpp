#pragma once
// The persistence the registration office needs (declared here, implemented in storage/). Every mutating call writes
// its audit event in the same transaction.
#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "audit/event.hpp"
#include "core/bytes.hpp"

namespace yq::ra {

struct StoredRecord {
    std::string id;
    std::string kind;  // agency | representative | letter | application | request
    std::string agency_id;
    std::string status;
    std::int64_t version = 0;
    std::string data;  // JSON
    std::int64_t created_at = 0;
    std::int64_t updated_at = 0;
};

struct StoredDocument {
    std::string sha256;  // hex, the content address
    std::string media_type;
    std::int64_t size = 0;
    core::Bytes content;
};

struct Attachment {
    std::string doc_type;
    std::string sha256;
    std::string attached_by;
    std::int64_t attached_at = 0;
};

class RegistryStore {
public:
    virtual ~RegistryStore() = default;

    // Runs fn as one unit of work: every store call inside (from any repository on this database) commits together or
    // not at all.
    virtual void atomically(const std::function<void()>& fn) = 0;

    // Inserts a record, claims `unique_keys` (throws 409 "ra.duplicate" naming the key if one is held) and indexes
    // the keyed hashes of ID numbers.
    virtual void insert_record(const StoredRecord& r, const std::vector<std::string>& unique_keys,
                               const std::vector<core::Bytes>& identity_macs, const audit::Event& e) = 0;
    // Writes r (version = expected_version + 1) only if the stored version is still expected_version; false when
    // someone else changed the record first. `release_keys` are unique keys given up (a rejected application's
    // username).
    virtual bool update_record(const StoredRecord& r, std::int64_t expected_version,
                               const std::vector<std::string>& release_keys,
                               const std::vector<core::Bytes>& identity_macs, const audit::Event& e) = 0;
    virtual std::optional<StoredRecord> record(const std::string& id) = 0;
    // kind required; agency_id and status filter when not empty. Newest first.
    virtual std::vector<StoredRecord> records(const std::string& kind, const std::string& agency_id,
                                              const std::string& status) = 0;
    virtual std::vector<StoredRecord> records_with_identity(const core::Bytes& mac) = 0;
    virtual std::optional<std::string> unique_key_owner(const std::string& key) = 0;

    // Documents: stored once per content (idempotent), audited.
    virtual void put_document(const StoredDocument& d, std::int64_t now, const audit::Event& e) = 0;
    virtual std::optional<StoredDocument> document(const std::string& sha256) = 0;
    virtual void attach(const std::string& record_id, const Attachment& a, const audit::Event& e) = 0;
    virtual std::vector<Attachment> attachments(const std::string& record_id) = 0;
};

}  // namespace yq::ra
