// The agencies' desk (see agency_desk.hpp): agencies, representatives and authorisation letters (architecture "RA
// flow"; domain §2 A, B).
#include "ra/agency_desk.hpp"

#include <algorithm>

#include "ra/documents.hpp"
#include "ra/record_io.hpp"

namespace yq::ra {

namespace {

void require_text(const std::string& value, const char* field, std::size_t max = 256) {
    if (value.empty() || value.size() > max)
        throw_bad_input("api.missing_field", std::string("the field '") + field + "' is required (at most " +
                                                 std::to_string(max) + " bytes)");
}

template <class Status>
void require_status(Status actual, std::initializer_list<Status> allowed, const std::string& code,
                    const std::string& message) {
    for (Status a : allowed)
        if (actual == a) return;
    throw_conflict(code, message + " (it is " + status_name(actual) + ")");
}

}  // namespace

Agency AgencyDesk::create_agency(const Principal& who, Agency a, Representative rep, const std::string& id_number) {
    authorise(who, Action::AgencyCreate);
    SealedId id = seal_identity(rep.id_type, id_number);
    return create_agency_sealed(who, std::move(a), std::move(rep), id);
}

Agency AgencyDesk::create_agency_sealed(const Principal& who, Agency a, Representative rep, const SealedId& id) {
    authorise(who, Action::AgencyCreate);
    if (a.kind != "government" && a.kind != "organisation")
        throw_bad_input("ra.bad_agency_kind", "the agency kind must be government or organisation");
    require_text(a.name_zh, "name_zh");
    require_text(a.code, "code", 64);
    require_text(a.head.name, "head.name");
    require_text(a.contact.name, "contact.name");
    if (a.contact.email.empty() && a.contact.phone.empty())
        throw_bad_input("api.missing_field", "give the contact person's e-mail or phone");
    require_text(rep.name, "representative.name");
    std::int64_t now = m_clock.unix_seconds();
    a.id = "agc_" + core::random_token(12);
    a.status = AgencyStatus::Draft;
    a.created_by = who.actor();
    a.created_at = now;
    rep.id = "rep_" + core::random_token(12);
    rep.agency_id = a.id;
    rep.id_number_sealed = id.sealed;
    rep.created_by = who.actor();
    rep.created_at = now;
    a.representative_id = rep.id;
    m_store.atomically([&] {
        insert("agency", a, a.id, status_name(a.status), {"agency_code:" + a.code}, {},
               event(who, "agency.created", "agency:" + a.id, audit::details({{"code", a.code}, {"name", a.name_zh}})));
        insert("representative", rep, a.id, "active", {}, {id.mac},
               event(who, "representative.added", "representative:" + rep.id,
                     audit::details({{"agency", a.id}, {"is_head", rep.is_head ? "true" : "false"}})));
    });
    return a;
}

Agency AgencyDesk::agency(const Principal& who, const std::string& id) {
    authorise(who, Action::AgencyRead);
    auto a = load<Agency>("agency", id);
    within_agency(who, id);
    return a.value;
}

std::vector<Agency> AgencyDesk::list(const Principal& who, const std::string& status) {
    authorise(who, Action::AgencyRead);
    std::vector<Agency> out;
    for (const auto& r : m_store.records("agency", "", status)) {
        if (who.has(Role::Representative)) {
            auto rep = m_store.record(who.representative_id);
            if (!rep || rep->agency_id != r.id) continue;
        }
        out.push_back(nlohmann::json::parse(r.data).get<Agency>());
    }
    return out;
}

Agency AgencyDesk::submit_agency(const Principal& who, const std::string& id) {
    authorise(who, Action::AgencySubmit);
    auto a = load<Agency>("agency", id);
    require_status(a.value.status, {AgencyStatus::Draft}, "ra.agency_not_draft", "only a draft agency registration can be submitted");
    Checklist c = m_documents.checklist(who, id);
    require_documents(c.required, c.attached);
    a.value.submitted_by = who.actor();
    save(a, AgencyStatus::Submitted, event(who, "agency.submitted", "agency:" + id));
    return a.value;
}

Agency AgencyDesk::check_agency_documents(const Principal& who, const std::string& id) {
    authorise(who, Action::AgencyCheckDocuments);
    auto a = load<Agency>("agency", id);
    require_status(a.value.status, {AgencyStatus::Submitted}, "ra.agency_not_submitted", "submit the agency registration first");
    Checklist c = m_documents.checklist(who, id);
    require_documents(c.required, c.attached);
    a.value.documents_checked_by = who.actor();
    save(a, AgencyStatus::DocumentsChecked, event(who, "agency.documents_checked", "agency:" + id));
    return a.value;
}

Agency AgencyDesk::approve_agency(const Principal& who, const std::string& id) {
    authorise(who, Action::AgencyApprove);
    auto a = load<Agency>("agency", id);
    require_status(a.value.status, {AgencyStatus::DocumentsChecked}, "ra.agency_not_checked",
                   "an officer must check the agency's documents before approval");
    four_eyes(who, {a.value.created_by, a.value.documents_checked_by}, "approve the agency");
    a.value.approved_by = who.actor();
    save(a, AgencyStatus::Active, with_notices(event(who, "agency.approved", "agency:" + id), "agency.approved", "", id, {}));
    return a.value;
}

Agency AgencyDesk::suspend_agency(const Principal& who, const std::string& id, const std::string& reason) {
    authorise(who, Action::AgencySuspend);
    require_text(reason, "reason");
    auto a = load<Agency>("agency", id);
    require_status(a.value.status, {AgencyStatus::Active}, "ra.agency_not_active", "only an active agency can be suspended");
    save(a, AgencyStatus::Suspended, event(who, "agency.suspended", "agency:" + id, audit::details({{"reason", reason}})));
    return a.value;
}

Representative AgencyDesk::add_representative(const Principal& who, const std::string& agency_id,
                                                      Representative rep, const std::string& id_number) {
    authorise(who, Action::RepresentativeAdd);
    SealedId id = seal_identity(rep.id_type, id_number);
    return add_representative_sealed(who, agency_id, std::move(rep), id);
}

Representative AgencyDesk::add_representative_sealed(const Principal& who, const std::string& agency_id,
                                                             Representative rep, const SealedId& id) {
    authorise(who, Action::RepresentativeAdd);
    auto a = load<Agency>("agency", agency_id);
    require_status(a.value.status, {AgencyStatus::Draft, AgencyStatus::Submitted, AgencyStatus::DocumentsChecked, AgencyStatus::Active}, "ra.agency_closed",
                   "representatives can be added only to an open agency");
    require_text(rep.name, "name");
    rep.id = "rep_" + core::random_token(12);
    rep.agency_id = agency_id;
    rep.id_number_sealed = id.sealed;
    rep.created_by = who.actor();
    rep.created_at = m_clock.unix_seconds();
    insert("representative", rep, agency_id, "active", {}, {id.mac},
           event(who, "representative.added", "representative:" + rep.id,
                 audit::details({{"agency", agency_id}, {"is_head", rep.is_head ? "true" : "false"}})));
    return rep;
}

std::vector<Representative> AgencyDesk::representatives(const Principal& who, const std::string& agency_id) {
    authorise(who, Action::AgencyRead);
    within_agency(who, agency_id);
    std::vector<Representative> out;
    for (const auto& r : m_store.records("representative", agency_id, ""))
        out.push_back(nlohmann::json::parse(r.data).get<Representative>());
    return out;
}

Letter AgencyDesk::record_letter(const Principal& who, const std::string& agency_id, Letter l) {
    authorise(who, Action::LetterRecord);
    load<Agency>("agency", agency_id);
    auto rep = load<Representative>("representative", l.representative_id);
    if (rep.value.agency_id != agency_id)
        throw_conflict("ra.representative_other_agency", "this representative does not represent the agency");
    if (rep.value.is_head) throw_conflict("ra.head_needs_no_letter", "the agency head signs without an authorisation letter");
    static const std::vector<std::string> kScopes = {"apply", "use", "revoke", "renew"};
    if (l.scopes.empty()) throw_bad_input("ra.bad_scope", "a letter needs at least one scope: apply, use, revoke, renew");
    for (const auto& s : l.scopes)
        if (std::find(kScopes.begin(), kScopes.end(), s) == kScopes.end())
            throw_bad_input("ra.bad_scope", "unknown scope '" + s + "'; scopes are apply, use, revoke, renew");
    if (l.valid_to != 0 && l.valid_to <= l.valid_from)
        throw_bad_input("ra.bad_validity", "the letter must end after it starts");
    l.id = "ltr_" + core::random_token(12);
    l.agency_id = agency_id;
    l.status = LetterStatus::Pending;
    l.recorded_by = who.actor();
    l.created_at = m_clock.unix_seconds();
    std::string scopes;
    for (const auto& s : l.scopes) scopes += (scopes.empty() ? "" : ",") + s;
    insert("letter", l, agency_id, status_name(l.status), {}, {},
           event(who, "letter.recorded", "letter:" + l.id,
                 audit::details({{"agency", agency_id}, {"representative", l.representative_id}, {"scopes", scopes}})));
    return l;
}

Letter AgencyDesk::confirm_letter(const Principal& who, const std::string& id) {
    authorise(who, Action::LetterConfirm);
    auto l = load<Letter>("letter", id);
    require_status(l.value.status, {LetterStatus::Pending}, "ra.letter_not_pending", "only a pending letter can be confirmed");
    four_eyes(who, {l.value.recorded_by}, "confirm the letter");
    require_documents({"authorisation_letter"}, m_store.attachments(id));
    l.value.confirmed_by = who.actor();
    save(l, LetterStatus::Valid, event(who, "letter.confirmed", "letter:" + id));
    return l.value;
}

WithdrawnLetter AgencyDesk::withdraw_letter(const Principal& who, const std::string& id, const std::string& reason) {
    authorise(who, Action::LetterWithdraw);
    require_text(reason, "reason");
    WithdrawnLetter out;
    m_store.atomically([&] {
        auto l = load<Letter>("letter", id);
        require_status(l.value.status, {LetterStatus::Pending, LetterStatus::Valid}, "ra.letter_not_active", "this letter is already withdrawn");
        l.value.withdrawn_by = who.actor();
        l.value.withdrawn_reason = reason;
        save(l, LetterStatus::Withdrawn, event(who, "letter.withdrawn", "letter:" + id, audit::details({{"reason", reason}})));
        out.letter = l.value;
        // Every pending case signed under this letter stops until a representative with a valid letter signs again.
        auto hold = [&](const std::string& kind, auto tag) {
            using T = decltype(tag);
            using Status = decltype(tag.status);
            for (const auto& r : m_store.records(kind, l.value.agency_id, "")) {
                Loaded<T> c{nlohmann::json::parse(r.data).get<T>(), r};
                // a case still on its way: a step to on_hold exists from its state (case_states.hpp)
                if (!step_between(c.value.status, Status::OnHold) || !c.value.sign_off || c.value.sign_off->letter_id != id)
                    continue;
                c.value.held_from = c.value.status;
                c.value.hold_reason = "letter_withdrawn";
                save(c, Status::OnHold, event(who, kind + ".held", kind + ":" + c.value.id,
                                               audit::details({{"letter", id}, {"was", status_name(c.value.held_from)}})));
                out.held.push_back(c.value.id);
            }
        };
        hold("application", Application{});
        hold("request", ServiceRequest{});
    });
    return out;
}

std::vector<Letter> AgencyDesk::letters(const Principal& who, const std::string& agency_id) {
    authorise(who, Action::AgencyRead);
    within_agency(who, agency_id);
    std::vector<Letter> out;
    for (const auto& r : m_store.records("letter", agency_id, "")) out.push_back(nlohmann::json::parse(r.data).get<Letter>());
    return out;
}

std::vector<Letter> AgencyDesk::letters_with_status(const Principal& who, const std::string& status) {
    authorise(who, Action::AgencyRead);
    std::vector<Letter> out;
    for (const auto& r : m_store.records("letter", visible_agency(who, ""), status))
        out.push_back(nlohmann::json::parse(r.data).get<Letter>());
    return out;
}

Agency AgencyDesk::register_agency_at_counter(const Principal& who, CounterAgency counter) {
    authorise(who, Action::AgencyCreate);
    const bool delegate = !counter.representative.is_head;
    if (delegate && !counter.letter)
        throw_bad_input("ra.letter_required", "a representative who is not the agency head needs the head's authorisation letter");
    check_files(counter.documents, m_config.ra.max_document_bytes);
    SealedId id = seal_identity(counter.representative.id_type, counter.representative_id_number);
    Agency submitted;
    m_store.atomically([&] {
        Agency created = create_agency_sealed(who, counter.agency, counter.representative, id);
        m_documents.attach_documents(who, created.id, counter.documents, required_documents(m_config.ra, "agency", delegate));
        if (delegate) {
            Letter letter = *counter.letter;
            letter.representative_id = created.representative_id;
            Letter recorded = record_letter(who, created.id, letter);
            m_documents.attach_documents(who, recorded.id, counter.documents, {"authorisation_letter"});
        }
        submitted = submit_agency(who, created.id);
    });
    return submitted;
}

Representative AgencyDesk::add_representative_at_counter(const Principal& who, const std::string& agency_id,
                                                                 CounterRepresentative counter) {
    authorise(who, Action::RepresentativeAdd);
    const bool delegate = !counter.representative.is_head;
    if (delegate && !counter.letter)
        throw_bad_input("ra.letter_required", "a representative who is not the agency head needs the head's authorisation letter");
    check_files(counter.documents, m_config.ra.max_document_bytes);
    SealedId id = seal_identity(counter.representative.id_type, counter.id_number);
    Representative added;
    m_store.atomically([&] {
        added = add_representative_sealed(who, agency_id, counter.representative, id);
        if (!delegate) return;
        Letter letter = *counter.letter;
        letter.representative_id = added.id;
        Letter recorded = record_letter(who, agency_id, letter);
        m_documents.attach_documents(who, recorded.id, counter.documents, {"authorisation_letter"});
    });
    return added;
}

}  // namespace yq::ra
