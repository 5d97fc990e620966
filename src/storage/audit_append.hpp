#pragma once
// Appends one audit event inside the caller's open transaction (storage-internal; every repository uses it).
#include "audit/event.hpp"
#include "storage/database.hpp"

namespace yq::storage {

std::int64_t append_audit_event(Connection& c, const audit::Event& e);

}  // namespace yq::storage
