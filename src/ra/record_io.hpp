#pragma once
// Loading and saving RA case files with the optimistic version check (private to ra/'s .cpp files).
#include "core/error.hpp"
#include "ra/registration_office.hpp"

namespace yq::ra {

template <class T>
RegistrationOffice::Loaded<T> RegistrationOffice::load(const std::string& kind, const std::string& id) {
    auto r = m_store.record(id);
    if (!r || r->kind != kind) throw_not_found("ra.unknown_" + kind, "no " + kind + " with id '" + id + "'");
    Loaded<T> out{nlohmann::json::parse(r->data).get<T>(), *r};
    return out;
}

template <class T>
void RegistrationOffice::insert(const std::string& kind, const T& value, const std::string& agency_id,
                                const std::string& status, const std::vector<std::string>& unique_keys,
                                const std::vector<core::Bytes>& macs, const audit::Event& e) {
    std::int64_t now = m_clock.unix_seconds();
    StoredRecord r{value.id, kind, agency_id, status, 1, nlohmann::json(value).dump(), now, now};
    m_store.insert_record(r, unique_keys, macs, e);
}

template <class T>
void RegistrationOffice::save(Loaded<T>& loaded, const std::string& status, const audit::Event& e,
                              const std::vector<std::string>& release_keys, const std::vector<core::Bytes>& macs) {
    loaded.value.status = status;
    StoredRecord r = loaded.meta;
    r.status = status;
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
std::string status_after_sign_off(Case& c) {
    if (c.status != "on_hold") return c.status;
    std::string back = c.held_from;
    c.held_from.clear();
    c.hold_reason.clear();
    return back;
}

}  // namespace yq::ra
