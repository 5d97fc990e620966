// The applications' desk (see application_desk.hpp): authorised users' cloud-signing service applications
// (architecture "RA flow"; domain §2 C, §3).
#include "ra/application_desk.hpp"

#include <algorithm>
#include <regex>

#include "accounts/password_hash.hpp"
#include "ra/documents.hpp"
#include "ra/record_io.hpp"

namespace yq::ra {

namespace {

// Still on its way: not approved or rejected.
bool is_open(ApplicationStatus status) {
    return status != ApplicationStatus::Approved && status != ApplicationStatus::Rejected;
}

void require_open(const Application& a) {
    if (a.status == ApplicationStatus::OnHold)
        throw_conflict("ra.application_on_hold", "the application is on hold (" + a.hold_reason +
                                                     "); a representative with a valid letter must sign it off again");
    if (!is_open(a.status)) throw_conflict("ra.application_closed", "the application is already " + status_name(a.status));
}

}  // namespace

Application ApplicationDesk::create_application(const Principal& who, Application a) {
    authorise(who, Action::ApplicationCreate);
    auto agency = load<Agency>("agency", a.agency_id);
    if (agency.value.status != AgencyStatus::Active)
        throw_conflict("ra.agency_not_active", "user applications are accepted only for an active (approved) agency");
    static const std::regex kUsername("^[a-z0-9][a-z0-9._-]{2,31}$");
    if (!std::regex_match(a.username, kUsername))
        throw_bad_input("accounts.bad_username", "usernames have 3–32 characters: lower-case letters, digits, '.', '_' "
                                                 "or '-', starting with a letter or digit; they never change later");
    if (a.display_name.empty() || a.display_name.size() > 128)
        throw_bad_input("api.missing_field", "the field 'display_name' (name as on the ID) is required");
    if (a.email.find('@') == std::string::npos) throw_bad_input("api.missing_field", "a valid 'email' is required");
    if (a.user_kind != "government" && a.user_kind != "other")
        throw_bad_input("ra.bad_user_kind", "user_kind must be government or other");
    // #16: the services applied for are the office's offers (ra.services), stored by id; none ticked = the first
    if (a.services.empty() && !m_config.ra.services.empty()) a.services = {m_config.ra.services.front().id};
    for (const auto& service : a.services) {
        bool offered = false;
        std::string offers;
        for (const auto& o : m_config.ra.services) {
            offered = offered || o.id == service;
            offers += (offers.empty() ? "" : ", ") + o.id;
        }
        if (!offered) throw_bad_input("ra.unknown_service", "the office offers these services: " + offers);
    }
    if (a.key_type.empty()) a.key_type = m_config.accounts.default_key;
    keystore::parse_key_type(a.key_type);
    if (m_account_store.account_by_username(a.username))
        throw_conflict("ra.username_taken", "the username '" + a.username + "' is already taken");
    a.id = "app_" + core::random_token(12);
    a.status = ApplicationStatus::Submitted;
    a.sign_off.reset();
    a.identity.reset();
    a.documents_checked_by.clear();
    a.approved_by.clear();
    a.created_by = who.actor();
    a.created_at = m_clock.unix_seconds();
    insert("application", a, a.agency_id, status_name(a.status), {"username:" + a.username}, {},
           event(who, "application.submitted", "application:" + a.id,
                 audit::details({{"agency", a.agency_id}, {"username", a.username}})));
    return a;
}

Application ApplicationDesk::application(const Principal& who, const std::string& id) {
    authorise(who, Action::ApplicationRead);
    auto a = load<Application>("application", id);
    within_agency(who, a.value.agency_id);
    return a.value;
}

std::vector<Application> ApplicationDesk::list(const Principal& who, const std::string& agency_id,
                                                          const std::string& status) {
    authorise(who, Action::ApplicationRead);
    std::string scope = visible_agency(who, agency_id);
    std::vector<Application> out;
    for (const auto& r : m_store.records("application", scope, status))
        out.push_back(nlohmann::json::parse(r.data).get<Application>());
    return out;
}

Application ApplicationDesk::sign_off_application(const Principal& who, const std::string& id,
                                                     const std::string& representative_id) {
    authorise(who, Action::ApplicationSignOff);
    auto a = load<Application>("application", id);
    within_agency(who, a.value.agency_id);
    if (!is_open(a.value.status)) throw_conflict("ra.application_closed", "the application is already " + status_name(a.value.status));
    a.value.sign_off = make_sign_off(who, a.value.agency_id, representative_id, "apply");
    ApplicationStatus status = status_after_sign_off(a.value);
    save(a, status, event(who, "application.signed_off", "application:" + id,
                          audit::details({{"representative", a.value.sign_off->representative_id},
                                          {"letter", a.value.sign_off->letter_id}})));
    return a.value;
}

Application ApplicationDesk::check_application_documents(const Principal& who, const std::string& id) {
    authorise(who, Action::ApplicationCheckDocuments);
    auto a = load<Application>("application", id);
    require_open(a.value);
    if (a.value.status != ApplicationStatus::Submitted)
        throw_conflict("ra.documents_already_checked", "the documents of this application were already checked");
    require_documents(required_documents(m_config.ra, "application"), m_store.attachments(id));
    a.value.documents_checked_by = who.actor();
    save(a, ApplicationStatus::DocumentsChecked, event(who, "application.documents_checked", "application:" + id));
    return a.value;
}

Application ApplicationDesk::record_identity(const Principal& who, const std::string& id, const std::string& id_type,
                                                const std::string& id_number) {
    authorise(who, Action::ApplicationSightId);
    return record_identity_sealed(who, id, seal_identity(id_type, id_number));
}

Application ApplicationDesk::record_identity_sealed(const Principal& who, const std::string& id, const SealedId& sealed) {
    authorise(who, Action::ApplicationSightId);
    const std::string& id_type = sealed.id_type;
    auto a = load<Application>("application", id);
    require_open(a.value);
    if (a.value.status != ApplicationStatus::DocumentsChecked)
        throw_conflict("ra.documents_not_checked", "check the application's documents before recording the original ID");
    a.value.identity = IdentityCheck{who.actor(), m_clock.unix_seconds(), id_type, sealed.sealed};
    // The audit event names the ID type only: the number never leaves the HSM seal and the keyed hash.
    save(a, ApplicationStatus::IdSighted,
         event(who, "application.id_sighted", "application:" + id, audit::details({{"id_type", id_type}})), {},
         {sealed.mac});
    return a.value;
}

ApprovedApplication ApplicationDesk::approve_application(const Principal& who, const std::string& id) {
    authorise(who, Action::ApplicationApprove);
    // #14: checked first on a plain read, then the login password is hashed (Argon2) with no transaction open, and the
    // approval and the account (no key: the PIN letter carries no signing secret) are one short unit of work whose
    // version check fails if the application changed in between (e.g. a concurrent second approval).
    auto ready = [&](const Loaded<Application>& a) {
        require_open(a.value);
        if (a.value.status != ApplicationStatus::IdSighted)
            throw_conflict("ra.not_ready_for_approval",
                           "an application is approved only after its documents are checked and the original ID is sighted");
        four_eyes(who, {a.value.created_by, a.value.documents_checked_by, a.value.identity->officer},
                  "approve the application");
        require_valid_sign_off(a.value.sign_off, "apply");
        auto agency = load<Agency>("agency", a.value.agency_id);
        if (agency.value.status != AgencyStatus::Active) throw_conflict("ra.agency_not_active", "the agency is not active");
        return agency.value;
    };
    auto first = load<Application>("application", id);
    Agency agency = ready(first);
    accounts::NewAccountRequest req;
    req.username = first.value.username;
    req.display_name = first.value.display_name;
    req.agency = agency.name_zh.empty() ? agency.name_en : agency.name_zh;
    req.email = first.value.email;
    req.department = first.value.department;
    req.title = first.value.title;
    req.key_type = keystore::parse_key_type(first.value.key_type);
    req.login_password = accounts::generate_password();
    accounts::Account account = m_accounts.prepare_office_account(req);

    ApprovedApplication out;
    m_store.atomically([&] {
        ready(first);  // the agency is read again; save() below checks that the application did not change
        first.value.approved_by = who.actor();
        first.value.account_id = account.id;
        m_accounts.open_office_account(account, who.actor());
        save(first, ApplicationStatus::Approved,
             with_notices(event(who, "application.approved", "application:" + id,
                                audit::details({{"username", first.value.username}, {"account", account.id}})),
                          "application.approved", audit::application_audience(id), first.value.agency_id,
                          {{"username", first.value.username}, {"display_name", first.value.display_name}}));
        out.application = first.value;
    });
    out.initial_login_password = std::move(req.login_password);
    out.account_id = account.id;
    return out;
}

Application ApplicationDesk::reject_application(const Principal& who, const std::string& id, const std::string& reason) {
    authorise(who, Action::ApplicationReject);
    if (reason.empty()) throw_bad_input("api.missing_field", "give the reason for the rejection");
    auto a = load<Application>("application", id);
    if (!is_open(a.value.status)) throw_conflict("ra.application_closed", "the application is already " + status_name(a.value.status));
    a.value.rejected_by = who.actor();
    a.value.reason = reason;
    // The username is free again for a new application.
    save(a, ApplicationStatus::Rejected,
         with_notices(event(who, "application.rejected", "application:" + id, audit::details({{"reason", reason}})),
                      "application.rejected", audit::application_audience(id), a.value.agency_id,
                      {{"username", a.value.username}, {"display_name", a.value.display_name}, {"reason", reason}}),
         {"username:" + a.value.username});
    return a.value;
}

std::vector<Application> ApplicationDesk::find_by_identity(const Principal& who, const std::string& id_type,
                                                              const std::string& id_number) {
    authorise(who, Action::IdentitySearch);
    check_id_type(id_type);
    std::vector<Application> out;
    for (const auto& r : m_store.records_with_identity(identity_mac(id_type, id_number)))
        if (r.kind == "application") out.push_back(nlohmann::json::parse(r.data).get<Application>());
    return out;
}

Application ApplicationDesk::register_application_at_counter(const Principal& who, CounterApplication counter) {
    authorise(who, Action::ApplicationCreate);
    check_files(counter.documents, m_config.ra.max_document_bytes);
    SealedId id = seal_identity(counter.id_type, counter.id_number);
    Application sighted;
    m_store.atomically([&] {
        Application created = create_application(who, counter.application);
        sign_off_application(who, created.id, counter.representative_id);
        m_documents.attach_documents(who, created.id, counter.documents, required_documents(m_config.ra, "application"));
        check_application_documents(who, created.id);
        sighted = record_identity_sealed(who, created.id, id);
    });
    return sighted;
}

}  // namespace yq::ra
