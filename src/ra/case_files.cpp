// The shared case-file helper of the registration office's desks (see case_files.hpp): roles, a representative's
// own agency, notices, four eyes, ID sealing, sign-offs under letters.
#include "ra/case_files.hpp"

#include <algorithm>
#include <cctype>

#include "ra/record_io.hpp"

namespace yq::ra {

namespace {
// ID numbers compare without spaces, dashes, brackets or case: "1234567(8)" = "12345678".
std::string normalised_id_number(const std::string& n) {
    std::string out;
    for (char c : n)
        if (std::isalnum(static_cast<unsigned char>(c))) out.push_back(static_cast<char>(std::toupper(static_cast<unsigned char>(c))));
    return out;
}
}  // namespace

void CaseFiles::authorise(const Principal& who, Action action) const { require_permission(who, action); }

// A representative sees and signs only their own agency's files.
void CaseFiles::within_agency(const Principal& who, const std::string& agency_id) {
    if (!who.has(Role::Representative)) return;
    auto rep = m_store.record(who.representative_id);
    if (!rep || rep->agency_id != agency_id)
        throw Error("auth.forbidden", 403, "representatives act only for their own agency");
}

std::string CaseFiles::visible_agency(const Principal& who, const std::string& agency_id) {
    if (!who.has(Role::Representative)) return agency_id;
    auto rep = m_store.record(who.representative_id);
    return rep ? rep->agency_id : "-";  // "-" matches no agency
}

audit::Event CaseFiles::event(const Principal& who, const std::string& action, const std::string& object,
                                       const std::string& details) const {
    return audit::Event{who.actor(), action, object, details, m_clock.unix_seconds()};
}

// #16: who is told of a change to a user's case — the user and the agency's contact person — with the agency's names.
audit::Event CaseFiles::with_notices(audit::Event e, const std::string& kind, const std::string& user_audience,
                                              const std::string& agency_id, nlohmann::json params) {
    if (!params.is_object()) params = nlohmann::json::object();
    if (auto agency = m_store.record(agency_id); agency && agency->kind == "agency") {
        Agency a = nlohmann::json::parse(agency->data).get<Agency>();
        params["agency"] = a.name_zh.empty() ? a.name_en : a.name_zh;
        params["agency_pt"] = a.name_pt.empty() ? a.name_en : a.name_pt;
    }
    params["at"] = e.time;
    std::vector<std::string> audiences;
    if (!user_audience.empty()) audiences.push_back(user_audience);
    if (!agency_id.empty()) audiences.push_back(audit::agency_audience(agency_id));
    e.notices = audit::to_each(audiences, kind, params.dump());
    return e;
}

void CaseFiles::check_id_type(const std::string& id_type) const {
    const auto& types = m_config.ra.id_types;
    if (std::find(types.begin(), types.end(), id_type) == types.end()) {
        std::string list;
        for (const auto& t : types) list += (list.empty() ? "" : ", ") + t;
        throw_bad_input("ra.bad_id_type", "the ID type must be one of: " + list);
    }
}

std::string CaseFiles::seal_id_number(const std::string& id_type, const std::string& id_number) {
    check_id_type(id_type);
    std::string n = normalised_id_number(id_number);
    if (n.size() < 4 || n.size() > 32) throw_bad_input("ra.bad_id_number", "the ID number must have 4–32 letters or digits");
    return core::base64_encode(m_keys.gcm_encrypt(kIdSealLabel, core::to_bytes(n), core::to_bytes(id_type)));
}

CaseFiles::SealedId CaseFiles::seal_identity(const std::string& id_type, const std::string& id_number) {
    return SealedId{id_type, seal_id_number(id_type, id_number), identity_mac(id_type, id_number)};
}

core::Bytes CaseFiles::identity_mac(const std::string& id_type, const std::string& id_number) {
    std::string key = "id:" + id_type + ":" + normalised_id_number(id_number);
    return m_keys.hmac_sha256(kLookupMacLabel, reinterpret_cast<const std::uint8_t*>(key.data()), key.size());
}

void CaseFiles::four_eyes(const Principal& who, std::initializer_list<std::string> earlier_actors,
                                   const char* what) const {
    for (const auto& a : earlier_actors)
        if (!a.empty() && a == who.actor())
            throw_conflict("ra.four_eyes", std::string("a second person must ") + what +
                                               ": you already worked on this case");
}

bool CaseFiles::letter_valid(const Letter& l, const std::string& scope) const {
    std::int64_t now = m_clock.unix_seconds();
    return l.status == LetterStatus::Valid && now >= l.valid_from && (l.valid_to == 0 || now < l.valid_to) &&
           std::find(l.scopes.begin(), l.scopes.end(), scope) != l.scopes.end();
}

SignOff CaseFiles::make_sign_off(const Principal& who, const std::string& agency_id,
                                          const std::string& representative_id, const std::string& scope) {
    std::string rep_id = who.has(Role::Representative) ? who.representative_id : representative_id;
    if (rep_id.empty()) throw_bad_input("api.missing_field", "name the representative who signed (representative_id)");
    auto rep = load<Representative>("representative", rep_id);
    if (rep.value.agency_id != agency_id)
        throw_conflict("ra.representative_other_agency", "this representative does not represent the case's agency");
    SignOff s{rep_id, "", who.actor(), m_clock.unix_seconds()};
    if (rep.value.is_head) return s;
    // #16 「使用」: a delegate who signs off with their own sign-in (online, not on paper at the office) uses the service
    // for the agency, which the letter must also allow (scope "use"); the head needs no letter at all.
    const bool online = who.has(Role::Representative);
    bool lacks_use = false;
    for (const auto& r : m_store.records("letter", agency_id, status_name(LetterStatus::Valid))) {
        Letter l = nlohmann::json::parse(r.data).get<Letter>();
        if (l.representative_id != rep_id || !letter_valid(l, scope)) continue;
        if (online && !letter_valid(l, "use")) {
            lacks_use = true;
            continue;
        }
        s.letter_id = l.id;
        return s;
    }
    if (lacks_use)
        throw_conflict("ra.letter_lacks_use",
                       "the authorisation letter does not let this representative act online (scope 'use'); sign on "
                       "paper at the office, or the head records a letter that includes it");
    throw_conflict("ra.no_valid_letter", "the representative has no valid authorisation letter with the scope '" +
                                             scope + "'; the agency head must sign, or record a new letter");
}

void CaseFiles::require_valid_sign_off(const std::optional<SignOff>& s, const std::string& scope) {
    if (!s) throw_conflict("ra.sign_off_missing", "the agency's representative has not signed this off yet");
    if (s->letter_id.empty()) return;  // the head
    auto l = load<Letter>("letter", s->letter_id);
    if (!letter_valid(l.value, scope))
        throw_conflict("ra.letter_not_valid",
                       "the authorisation letter behind the sign-off is no longer valid; a representative with a valid "
                       "letter must sign again");
}

CaseFiles::Loaded<Application> CaseFiles::application_of_user(const std::string& username) {
    auto owner = m_store.unique_key_owner("username:" + username);
    if (!owner) throw_not_found("ra.unknown_user", "no user '" + username + "' was registered through the office");
    auto a = load<Application>("application", *owner);
    if (a.value.status != ApplicationStatus::Approved || a.value.account_id.empty())
        throw_conflict("ra.user_not_active", "the application of '" + username + "' has not opened an account");
    return a;
}

}  // namespace yq::ra
