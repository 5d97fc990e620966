// The requests' desk (see request_desk.hpp): revocation, renewal, unlock, re-key and recovery requests (architecture
// "RA flow"; domain §2 D, E, §3).
#include "ra/request_desk.hpp"

#include "accounts/password_hash.hpp"
#include "pki/revocation_reason.hpp"
#include "ra/documents.hpp"
#include "ra/record_io.hpp"

namespace yq::ra {

namespace {

// Waiting for the office: submitted, checked or on hold.
bool is_open(RequestStatus status) {
    return status == RequestStatus::Submitted || status == RequestStatus::Checked || status == RequestStatus::OnHold;
}

void require_open(const ServiceRequest& r) {
    if (r.status == RequestStatus::OnHold)
        throw_conflict("ra.request_on_hold", "the request is on hold (" + r.hold_reason +
                                                 "); a representative with a valid letter must sign it off again");
    if (!is_open(r.status)) throw_conflict("ra.request_closed", "the request is already " + status_name(r.status));
}

// Which letter scope a request needs from the representative; unlock and re-key are the user's own requests.
std::string scope_of(const std::string& kind) {
    if (kind == "revocation") return "revoke";
    if (kind == "renewal") return "renew";
    return "";
}

}  // namespace


ServiceRequest RequestDesk::create_request(const Principal& who, const std::string& kind,
                                                  const std::string& username, const std::string& reason,
                                                  const AppointmentChoice& appointment) {
    authorise(who, Action::RequestCreate);
    if (kind != "revocation" && kind != "renewal" && kind != "unlock" && kind != "rekey" && kind != "recovery")
        throw_bad_input("ra.bad_request_kind", "the request kind must be revocation, renewal, unlock, rekey or recovery");
    auto app = application_of_user(username);
    auto account = m_account_store.account_by_id(app.value.account_id);
    if (!account) throw_conflict("ra.user_not_active", "the account of '" + username + "' does not exist");
    if (account->status == "revoked") throw_conflict("ra.account_revoked", "the account is revoked; apply again instead");

    ServiceRequest r;
    r.id = "req_" + core::random_token(12);
    r.kind = kind;
    r.agency_id = app.value.agency_id;
    r.username = username;
    r.reason = reason;
    r.created_by = who.actor();
    r.created_at = m_clock.unix_seconds();
    if (kind == "revocation") {
        if (reason.empty()) r.reason = "unspecified";
        pki::reason_code(r.reason);  // RFC 5280 §5.3.1 CRLReason names; throws "ca.bad_reason" on others
    }
    if (kind == "renewal") {
        // Renewal opens inside the window before expiry; expired, revoked or suspended ones are re-applied instead.
        bool open = false;
        for (const auto& c : m_account_store.credentials_of(account->id)) {
            if (c.status != "active") continue;
            auto cert = m_ca.find_certificate(c.certificate_serial);
            if (cert && m_ca.renewal_open(*cert)) open = true;
        }
        if (!open)
            throw_conflict("ra.renewal_not_open", "renewal opens " + std::to_string(m_config.ca.renewal_window_days) +
                                                      " days before the certificate expires");
    }
    if (kind == "unlock" && account->status != "locked")
        throw_conflict("ra.account_not_locked", "the account is not locked; nothing to unlock");
    m_store.atomically([&] {
        if (handled_in_person(kind)) {
            // Only in person, at the appointment: the booking is checked in now and cannot be used twice.
            r.appointment_id = m_appointments.check_in(appointment, kind, who.actor(), username).id;
        }
        insert("request", r, r.agency_id, status_name(r.status), {}, {},
               event(who, "request.submitted", "request:" + r.id,
                     audit::details({{"kind", kind}, {"username", username}, {"reason", r.reason}})));
    });
    return r;
}

ServiceRequest RequestDesk::request(const Principal& who, const std::string& id) {
    authorise(who, Action::RequestRead);
    auto r = load<ServiceRequest>("request", id);
    within_agency(who, r.value.agency_id);
    return r.value;
}

std::vector<ServiceRequest> RequestDesk::list(const Principal& who, const std::string& agency_id,
                                                         const std::string& status) {
    authorise(who, Action::RequestRead);
    std::string scope = visible_agency(who, agency_id);
    std::vector<ServiceRequest> out;
    for (const auto& r : m_store.records("request", scope, status))
        out.push_back(nlohmann::json::parse(r.data).get<ServiceRequest>());
    return out;
}

ServiceRequest RequestDesk::sign_off_request(const Principal& who, const std::string& id,
                                                    const std::string& representative_id) {
    authorise(who, Action::RequestSignOff);
    auto r = load<ServiceRequest>("request", id);
    within_agency(who, r.value.agency_id);
    if (!is_open(r.value.status)) throw_conflict("ra.request_closed", "the request is already " + status_name(r.value.status));
    std::string scope = scope_of(r.value.kind);
    if (scope.empty())
        throw_conflict("ra.sign_off_not_needed", "unlock and re-key are the user's own requests, checked in person");
    r.value.sign_off = make_sign_off(who, r.value.agency_id, representative_id, scope);
    RequestStatus status = status_after_sign_off(r.value);
    save(r, status, event(who, "request.signed_off", "request:" + id,
                          audit::details({{"representative", r.value.sign_off->representative_id},
                                          {"letter", r.value.sign_off->letter_id}})));
    return r.value;
}

ServiceRequest RequestDesk::check_request(const Principal& who, const std::string& id, const std::string& id_type,
                                                 const std::string& id_number) {
    authorise(who, Action::RequestCheck);
    std::optional<SealedId> shown;  // only the kinds handled in person record the ID shown
    if (handled_in_person(load<ServiceRequest>("request", id).value.kind) && !id_type.empty() && !id_number.empty())
        shown = seal_identity(id_type, id_number);
    return check_request_sealed(who, id, shown);
}

ServiceRequest RequestDesk::check_request_sealed(const Principal& who, const std::string& id,
                                                        const std::optional<SealedId>& shown) {
    authorise(who, Action::RequestCheck);
    auto r = load<ServiceRequest>("request", id);
    require_open(r.value);
    if (r.value.status != RequestStatus::Submitted) throw_conflict("ra.request_already_checked", "this request was already checked");
    require_documents(required_documents(m_config.ra, r.value.kind), m_store.attachments(id));
    if (handled_in_person(r.value.kind)) {
        // The person at the counter must show the same ID that was sighted when the account was applied for.
        if (!shown) throw_bad_input("api.missing_field", "record the ID shown: id_type and id_number");
        auto app = application_of_user(r.value.username);
        bool same = false;
        for (const auto& rec : m_store.records_with_identity(shown->mac))
            if (rec.id == app.value.id) same = true;
        if (!same)
            throw_conflict("ra.identity_mismatch",
                           "the ID shown is not the one recorded for this user; the request cannot go ahead");
        r.value.identity = IdentityCheck{who.actor(), m_clock.unix_seconds(), shown->id_type, shown->sealed};
    }
    r.value.checked_by = who.actor();
    save(r, RequestStatus::Checked, event(who, "request.checked", "request:" + id,
                             audit::details({{"id_type", r.value.identity ? r.value.identity->id_type : ""}})));
    return r.value;
}

ApprovedRequest RequestDesk::approve_request(const Principal& who, const std::string& id) {
    authorise(who, Action::RequestApprove);
    auto r = load<ServiceRequest>("request", id);
    require_open(r.value);
    if (r.value.status != RequestStatus::Checked)
        throw_conflict("ra.request_not_checked", "an officer must check the request's documents first");
    four_eyes(who, {r.value.created_by, r.value.checked_by}, "approve the request");
    std::string scope = scope_of(r.value.kind);
    if (!scope.empty()) require_valid_sign_off(r.value.sign_off, scope);
    auto app = application_of_user(r.value.username);
    auto account = m_account_store.account_by_id(app.value.account_id);
    if (!account) throw_conflict("ra.user_not_active", "the account does not exist");
    ApprovedRequest out;
    std::string new_login_hash;
    if (r.value.kind == "recovery") {  // Argon2 before the unit of work (#14)
        out.initial_login_password = accounts::generate_password();
        new_login_hash = m_accounts.hash_login_password(out.initial_login_password);
    }
    if (r.value.kind == "revocation") {
        // #14: each revocation is its own commit with its CA signatures (OCSP, CRL) outside the request's unit of work.
        // Revocation is the safe direction: if what follows fails, the certificates stay revoked and approving the
        // request again skips them.
        for (const auto& c : m_account_store.credentials_of(account->id)) {
            auto cert = m_ca.find_certificate(c.certificate_serial);
            if (cert && cert->status == "valid") m_ca.revoke(c.certificate_serial, r.value.reason, std::nullopt, who.actor());
        }
    }
    m_store.atomically([&] {
        r.value.approved_by = who.actor();
        RequestStatus status = RequestStatus::Approved;  // renewal and re-key wait for the user to seal the new key
        if (r.value.kind == "revocation") {
            auto now = m_account_store.account_by_id(account->id);
            if (now && now->status != "revoked")
                m_account_store.set_status(account->id, now->status, "revoked",
                                           event(who, "account.revoked", "account:" + account->username,
                                                 audit::details({{"reason", r.value.reason}, {"request", id}})));
            status = RequestStatus::Completed;
        } else if (r.value.kind == "unlock") {
            m_accounts.unlock(r.value.username, who.actor());
            status = RequestStatus::Completed;
        } else if (r.value.kind == "recovery") {
            m_accounts.reset_sign_in(r.value.username, new_login_hash, who.actor());
            status = RequestStatus::Completed;
        }
        if (status == RequestStatus::Completed) {
            r.value.completed_by = who.actor();
            r.value.completed_at = m_clock.unix_seconds();
        }
        // version-checked: a request that changed since it was read above (approved or rejected meanwhile) fails here
        save(r, status,
             with_notices(event(who, "request.approved", "request:" + id, audit::details({{"kind", r.value.kind}})),
                          "request.approved", audit::account_audience(account->id), r.value.agency_id,
                          {{"username", r.value.username}, {"request", r.value.kind}}));
    });
    out.request = r.value;
    return out;
}

ServiceRequest RequestDesk::reject_request(const Principal& who, const std::string& id, const std::string& reason) {
    authorise(who, Action::RequestReject);
    if (reason.empty()) throw_bad_input("api.missing_field", "give the reason for the rejection");
    auto r = load<ServiceRequest>("request", id);
    if (!is_open(r.value.status) && r.value.status != RequestStatus::Approved)
        throw_conflict("ra.request_closed", "the request is already " + status_name(r.value.status));
    r.value.rejected_by = who.actor();
    r.value.reason = reason;
    const std::string account_id = application_of_user(r.value.username).value.account_id;
    save(r, RequestStatus::Rejected,
         with_notices(event(who, "request.rejected", "request:" + id, audit::details({{"reason", reason}})),
                      "request.rejected", audit::account_audience(account_id),
                      r.value.agency_id, {{"username", r.value.username}, {"request", r.value.kind}, {"reason", reason}}));
    return r.value;
}

std::optional<ServiceRequest> RequestDesk::pending_for_user(const std::string& username, const std::string& kind) {
    auto owner = m_store.unique_key_owner("username:" + username);
    if (!owner) return std::nullopt;
    auto app = m_store.record(*owner);
    if (!app) return std::nullopt;
    for (const auto& rec : m_store.records("request", app->agency_id, status_name(RequestStatus::Approved))) {
        ServiceRequest r = nlohmann::json::parse(rec.data).get<ServiceRequest>();
        if (r.username == username && r.kind == kind) return r;
    }
    return std::nullopt;
}

// #14: the new key is made and its certificate signed with no transaction open; then one short unit of work marks the
// request completed (version-checked, so it is used once), stores the certificate and replaces the credential (#17:
// all or nothing, so a failed or crashed completion leaves no certificate behind). After the commit the replaced
// certificate is revoked as superseded.
accounts::Credential RequestDesk::complete_with_new_key(const ServiceRequest& pending, const std::string& username,
                                                               const core::SecureString& signing_password,
                                                               const std::string& actor) {
    auto r = load<ServiceRequest>("request", pending.id);
    if (r.value.status != RequestStatus::Approved) throw_conflict("ra.request_closed", "the request is already " + status_name(r.value.status));
    accounts::PreparedKey prepared = m_accounts.prepare_rekey(username, signing_password, actor);
    m_store.atomically([&] {
        r.value.completed_by = actor;
        r.value.completed_at = m_clock.unix_seconds();
        save(r, RequestStatus::Completed,
             audit::Event{actor, "request.completed", "request:" + r.value.id, "{}", m_clock.unix_seconds()});
        m_accounts.install_rekey(prepared, actor);
    });
    m_accounts.finish_rekey(prepared, actor);
    return prepared.fresh;
}

accounts::Credential RequestDesk::complete_rekey(const std::string& account_id,
                                                        const core::SecureString& new_signing_password,
                                                        const std::string& otp) {
    auto account = m_account_store.account_by_id(account_id);
    if (!account) throw Error("accounts.unknown_account", 401, "the account no longer exists");
    auto pending = pending_for_user(account->username, "rekey");
    if (!pending)
        throw_conflict("ra.no_approved_request",
                       "a new signing key needs an approved re-key request: book a forgotten-password appointment");
    std::string actor = "self:" + account_id;
    m_accounts.use_one_time_code(account_id, otp, actor);  // #14: the second factor, its step used up
    return complete_with_new_key(*pending, account->username, new_signing_password, actor);
}

accounts::Credential RequestDesk::complete_renewal(const std::string& account_id,
                                                          const core::SecureString& signing_password,
                                                          const std::string& otp) {
    auto account = m_account_store.account_by_id(account_id);
    if (!account) throw Error("accounts.unknown_account", 401, "the account no longer exists");
    auto pending = pending_for_user(account->username, "renewal");
    if (!pending)
        throw_conflict("ra.no_approved_request", "renewal needs a request signed off by your agency's representative");
    std::optional<accounts::Credential> current;
    for (const auto& c : m_account_store.credentials_of(account_id))
        if (c.status == "active") current = c;
    if (!current) throw_conflict("accounts.no_credential", "the account has no active credential");
    std::string actor = "self:" + account_id;
    // The password check counts toward the lock on its own, outside the renewal's unit of work.
    m_accounts.authorise_signing(account_id, current->id, signing_password, otp, actor);
    return complete_with_new_key(*pending, account->username, signing_password, actor);
}

ServiceRequest RequestDesk::register_request_at_counter(const Principal& who, CounterRequest counter) {
    authorise(who, Action::RequestCreate);
    check_files(counter.documents, m_config.ra.max_document_bytes);
    std::optional<SealedId> shown;
    if (handled_in_person(counter.kind)) {
        if (counter.id_type.empty() || counter.id_number.empty())
            throw_bad_input("api.missing_field", "record the ID shown: id_type and id_number");
        shown = seal_identity(counter.id_type, counter.id_number);
    }
    ServiceRequest opened;
    m_store.atomically([&] {
        opened = create_request(who, counter.kind, counter.username, counter.reason, counter.appointment);
        m_documents.attach_documents(who, opened.id, counter.documents, required_documents(m_config.ra, counter.kind));
        if (shown) opened = check_request_sealed(who, opened.id, shown);
    });
    return opened;
}

}  // namespace yq::ra
