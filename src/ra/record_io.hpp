#pragma once
// Loading and saving RA case files with the optimistic version check (private to ra/'s .cpp files).
#include "core/error.hpp"
#include "ra/case_files.hpp"

namespace yq::ra {

template <class T>
CaseFiles::Loaded<T> CaseFiles::load(const std::string& kind, const std::string& id) {
    auto r = m_store.record(id);
    if (!r || r->kind != kind) throw_not_found("ra.unknown_" + kind, "no " + kind + " with id '" + id + "'");
    Loaded<T> out{nlohmann::json::parse(r->data).get<T>(), *r};
    return out;
}

template <class T>
void CaseFiles::insert(const std::string& kind, const T& value, const std::string& agency_id,
                                const std::string& status, const std::vector<std::string>& unique_keys,
                                const std::vector<core::Bytes>& macs, const audit::Event& e) {
    std::int64_t now = m_clock.unix_seconds();
    StoredRecord r{value.id, kind, agency_id, status, 1, nlohmann::json(value).dump(), now, now};
    m_store.insert_record(r, unique_keys, macs, e);
}

// Only along a step of case_states.hpp's table (or without a change of state): the methods check the rules of each
// step with their own messages first, so a refusal here is a fault in the office's code.
template <class T, class Status>
void CaseFiles::save(Loaded<T>& loaded, Status status, const audit::Event& e,
                              const std::vector<std::string>& release_keys, const std::vector<core::Bytes>& macs) {
    if (loaded.value.status != status && !step_between(loaded.value.status, status))
        throw Error("ra.bad_transition", 500,
                    "a " + loaded.meta.kind + " cannot go from " + status_name(loaded.value.status) + " to " +
                        status_name(status));
    loaded.value.status = status;
    StoredRecord r = loaded.meta;
    r.status = status_name(status);
    r.data = nlohmann::json(loaded.value).dump();
    r.version = loaded.meta.version + 1;
    r.updated_at = m_clock.unix_seconds();
    if (!m_store.update_record(r, loaded.meta.version, release_keys, macs, e))
        throw_conflict("ra.concurrent_change",
                       "someone else changed this " + loaded.meta.kind + " at the same time; reload it and try again");
    loaded.meta = r;
}

// A fresh, valid sign-off lifts a hold: the case returns to the status it had. Returns the status to save.
template <class Case>
auto status_after_sign_off(Case& c) {
    using Status = decltype(c.status);
    if (c.status != Status::OnHold) return c.status;
    c.hold_reason.clear();
    return c.held_from;
}

}  // namespace yq::ra
