#include "core/config.hpp"

#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>

#include "core/error.hpp"

namespace yq::core {

namespace {

constexpr const char* kPolicyArc = "2.25.178342861405338106479209537306254716531";

using nlohmann::json;

template <class T>
void read(const json& j, const char* key, T& out, const std::string& where) {
    if (!j.contains(key)) return;
    try {
        out = j.at(key).get<T>();
    } catch (const json::exception&) {
        throw Error("config.invalid", 500, "config field " + where + "." + key + " has the wrong type");
    }
}

[[noreturn]] void invalid(const std::string& what) { throw Error("config.invalid", 500, "config field " + what); }

template <class T>
void assign(T& target, const json& value, const std::string& path) {
    try {
        target = value.get<T>();
    } catch (const json::exception&) {
        invalid(path + " has the wrong type");
    }
}

// A plain string (the same text in every language) or {"zh-Hant": …, "pt": …, "en": …}.
void assign(LocalText& target, const json& value, const std::string& path) {
    if (value.is_string()) {
        target = {{"zh-Hant", value.get<std::string>()}};
        return;
    }
    if (!value.is_object()) invalid(path + " is a text or an object of texts by language");
    target.clear();
    for (const auto& [lang, text] : value.items()) {
        if (!text.is_string()) invalid(path + "." + lang + " must be a text");
        target[lang] = text.get<std::string>();
    }
}

// Each entry "YYYY-MM-DD" or {"date": "YYYY-MM-DD", "name": text or texts by language}.
void read_holidays(const json& o, OfficeConfig& office) {
    if (!o.contains("holidays")) return;
    if (!o.at("holidays").is_array()) invalid("office.holidays must be a list");
    office.holidays.clear();
    office.holiday_names.clear();
    for (const json& h : o.at("holidays")) {
        if (h.is_string()) {
            office.holidays.push_back(h.get<std::string>());
        } else if (h.is_object() && h.contains("date") && h.at("date").is_string()) {
            std::string date = h.at("date").get<std::string>();
            office.holidays.push_back(date);
            if (h.contains("name")) assign(office.holiday_names[date], h.at("name"), "office.holidays[" + date + "].name");
        } else {
            invalid("office.holidays: each entry is a date \"YYYY-MM-DD\" or {\"date\", \"name\"}");
        }
    }
}

void read_profile(const json& j, CertificateProfile& p, const std::string& where) {
    read(j, "validity_days", p.validity_days, where);
    read(j, "key_usage", p.key_usage, where);
    read(j, "extended_key_usage", p.extended_key_usage, where);
    read(j, "subject_attributes", p.subject_attributes, where);
    read(j, "required_attributes", p.required_attributes, where);
    read(j, "policy_oids", p.policy_oids, where);
    read(j, "cps_uri", p.cps_uri, where);
    read(j, "crl_distribution_point", p.crl_distribution_point, where);
    read(j, "authority_info_access", p.authority_info_access, where);
    read(j, "ocsp_no_check", p.ocsp_no_check, where);
    read(j, "email_in_subject_alt_name", p.email_in_subject_alt_name, where);
    if (p.validity_days <= 0) throw Error("config.invalid", 500, "config field " + where + ".validity_days must be > 0");
}

// ra.checklists and ra.forms: the entries given replace the defaults of the same type; ra.services: the list given
// replaces the default list.
void read_ra_lists(const json& r, RaConfig& ra) {
    if (r.contains("checklists")) {
        std::map<std::string, std::vector<std::string>> given;
        assign(given, r.at("checklists"), "ra.checklists");
        for (auto& [type, docs] : given) ra.checklists[type] = std::move(docs);
    }
    if (r.contains("forms")) {
        if (!r.at("forms").is_object()) invalid("ra.forms is an object: document type → {code, version}");
        for (const auto& [type, f] : r.at("forms").items()) {
            if (!f.is_object()) invalid("ra.forms." + type + " is {code, version}");
            FormIssue issue = ra.forms[type];
            read(f, "code", issue.code, "ra.forms." + type);
            read(f, "version", issue.version, "ra.forms." + type);
            ra.forms[type] = issue;
        }
    }
    if (r.contains("services")) {
        if (!r.at("services").is_array()) invalid("ra.services is a list of {id, name}");
        ra.services.clear();
        for (const auto& o : r.at("services")) {
            if (!o.is_object() || !o.contains("id") || !o.at("id").is_string())
                invalid("ra.services: each entry is {\"id\", \"name\"}");
            ServiceOffer offer{o.at("id").get<std::string>(), {}};
            if (o.contains("name")) assign(offer.name, o.at("name"), "ra.services." + offer.id + ".name");
            ra.services.push_back(offer);
        }
    }
}

}  // namespace

std::string text_in(const LocalText& text, const std::string& lang) {
    if (auto it = text.find(lang); it != text.end()) return it->second;
    if (auto it = text.find("zh-Hant"); it != text.end()) return it->second;
    return text.empty() ? std::string() : text.begin()->second;
}

std::map<std::string, CertificateProfile> default_profiles() {
    std::map<std::string, CertificateProfile> m;
    CertificateProfile signer;  // authorised-user signing certificate: 3 years (domain reference §5)
    signer.name = "signer";
    signer.validity_days = 3 * 365;
    signer.key_usage = "critical,digitalSignature,nonRepudiation";
    signer.subject_attributes = {"C", "O", "OU", "title", "CN", "serialNumber", "emailAddress"};
    signer.required_attributes = {"O", "CN", "serialNumber"};
    signer.policy_oids = {std::string(kPolicyArc) + ".1.1"};
    signer.email_in_subject_alt_name = true;
    m[signer.name] = signer;

    CertificateProfile org;  // organisation (agency) certificate
    org.name = "organisation";
    org.validity_days = 3 * 365;
    org.key_usage = "critical,digitalSignature,nonRepudiation";
    org.subject_attributes = {"C", "O", "OU", "organizationIdentifier", "CN", "emailAddress"};
    org.required_attributes = {"O", "CN"};
    org.policy_oids = {std::string(kPolicyArc) + ".1.2"};
    org.email_in_subject_alt_name = true;
    m[org.name] = org;

    CertificateProfile ocsp;  // RFC 6960 §4.2.2.2 delegated responder; §4.2.2.2.1 id-pkix-ocsp-nocheck
    ocsp.name = "ocsp";
    ocsp.validity_days = 365;
    ocsp.key_usage = "critical,digitalSignature";
    ocsp.extended_key_usage = "critical,OCSPSigning";
    ocsp.subject_attributes = {"C", "O", "OU", "CN"};
    ocsp.required_attributes = {"CN"};
    ocsp.crl_distribution_point = false;
    ocsp.authority_info_access = false;
    ocsp.ocsp_no_check = true;
    m[ocsp.name] = ocsp;

    CertificateProfile tsa;  // RFC 3161 §2.3: the only EKU, critical
    tsa.name = "tsa";
    tsa.validity_days = 5 * 365;
    tsa.key_usage = "critical,digitalSignature";
    tsa.extended_key_usage = "critical,timeStamping";
    tsa.subject_attributes = {"C", "O", "OU", "CN"};
    tsa.required_attributes = {"CN"};
    m[tsa.name] = tsa;
    return m;
}

std::string Config::resolve(const std::string& path) const {
    if (path.empty()) return path;
    std::filesystem::path p(path);
    if (p.is_absolute()) return path;
    return (std::filesystem::path(home) / p).lexically_normal().string();
}

namespace {

// A configuration field as yunqian.json names it ("section.name", or "section.sub.name") and where it goes in Config:
// every plain field is one row of kFields below; the few with a shape of their own (certificate profiles, holidays,
// checklists, forms, services) are read after them, and check() holds every field to its range.
struct Field {
    const char* path;
    void (*read)(const json& value, Config& c, const std::string& path);
};

template <auto Section, auto Member>
constexpr Field field(const char* path) {
    return {path, [](const json& v, Config& c, const std::string& p) { assign((c.*Section).*Member, v, p); }};
}

template <auto Section, auto Part, auto Member>
constexpr Field field(const char* path) {
    return {path, [](const json& v, Config& c, const std::string& p) { assign(((c.*Section).*Part).*Member, v, p); }};
}

const Field kFields[] = {
    field<&Config::server, &ServerConfig::io_threads>("server.io_threads"),
    field<&Config::server, &ServerConfig::worker_threads>("server.worker_threads"),
    field<&Config::server, &ServerConfig::max_body_bytes>("server.max_body_bytes"),
    field<&Config::server, &ServerConfig::max_ocsp_request_bytes>("server.max_ocsp_request_bytes"),
    field<&Config::server, &ServerConfig::max_tsa_request_bytes>("server.max_tsa_request_bytes"),
    field<&Config::server, &ServerConfig::read_timeout_seconds>("server.read_timeout_seconds"),
    field<&Config::server, &ServerConfig::listener, &ListenerConfig::host>("server.listener.host"),
    field<&Config::server, &ServerConfig::listener, &ListenerConfig::port>("server.listener.port"),
    field<&Config::server, &ServerConfig::listener, &ListenerConfig::tls_certificate>(
        "server.listener.tls_certificate"),
    field<&Config::server, &ServerConfig::listener, &ListenerConfig::tls_private_key>(
        "server.listener.tls_private_key"),
    field<&Config::server, &ServerConfig::listener, &ListenerConfig::allow_plaintext_non_loopback>(
        "server.listener.allow_plaintext_non_loopback"),
    field<&Config::server, &ServerConfig::office_listener, &ListenerConfig::host>("server.office_listener.host"),
    field<&Config::server, &ServerConfig::office_listener, &ListenerConfig::port>("server.office_listener.port"),
    field<&Config::server, &ServerConfig::office_listener, &ListenerConfig::tls_certificate>(
        "server.office_listener.tls_certificate"),
    field<&Config::server, &ServerConfig::office_listener, &ListenerConfig::tls_private_key>(
        "server.office_listener.tls_private_key"),
    field<&Config::server, &ServerConfig::office_listener, &ListenerConfig::allow_plaintext_non_loopback>(
        "server.office_listener.allow_plaintext_non_loopback"),
    field<&Config::database, &DatabaseConfig::url>("database.url"),
    field<&Config::database, &DatabaseConfig::busy_timeout_ms>("database.busy_timeout_ms"),
    field<&Config::hsm, &HsmConfig::module>("hsm.module"),
    field<&Config::hsm, &HsmConfig::softhsm2_conf>("hsm.softhsm2_conf"),
    field<&Config::hsm, &HsmConfig::token_label>("hsm.token_label"),
    field<&Config::hsm, &HsmConfig::pin_file>("hsm.pin_file"),
    field<&Config::hsm, &HsmConfig::session_pool_size>("hsm.session_pool_size"),
    field<&Config::ca, &CaConfig::base_url>("ca.base_url"),
    field<&Config::ca, &CaConfig::root_subject>("ca.root_subject"),
    field<&Config::ca, &CaConfig::issuing_subject>("ca.issuing_subject"),
    field<&Config::ca, &CaConfig::ocsp_subject>("ca.ocsp_subject"),
    field<&Config::ca, &CaConfig::tsa_subject>("ca.tsa_subject"),
    field<&Config::ca, &CaConfig::audit_subject>("ca.audit_subject"),
    field<&Config::ca, &CaConfig::transparency_subject>("ca.transparency_subject"),
    field<&Config::ca, &CaConfig::validation_subject>("ca.validation_subject"),
    field<&Config::ca, &CaConfig::root_key>("ca.root_key"),
    field<&Config::ca, &CaConfig::issuing_key>("ca.issuing_key"),
    field<&Config::ca, &CaConfig::service_key>("ca.service_key"),
    field<&Config::ca, &CaConfig::root_validity_days>("ca.root_validity_days"),
    field<&Config::ca, &CaConfig::issuing_validity_days>("ca.issuing_validity_days"),
    field<&Config::ca, &CaConfig::crl_validity_hours>("ca.crl_validity_hours"),
    field<&Config::ca, &CaConfig::crl_regenerate_minutes>("ca.crl_regenerate_minutes"),
    field<&Config::ca, &CaConfig::renewal_window_days>("ca.renewal_window_days"),
    field<&Config::ocsp, &OcspConfig::response_validity_seconds>("ocsp.response_validity_seconds"),
    field<&Config::ocsp, &OcspConfig::refresh_before_seconds>("ocsp.refresh_before_seconds"),
    field<&Config::ocsp, &OcspConfig::status_poll_ms>("ocsp.status_poll_ms"),
    field<&Config::tsa, &TsaConfig::policy_oid>("tsa.policy_oid"),
    field<&Config::tsa, &TsaConfig::accuracy_seconds>("tsa.accuracy_seconds"),
    field<&Config::audit, &AuditConfig::head_signing_interval_seconds>("audit.head_signing_interval_seconds"),
    field<&Config::kdf, &KdfConfig::time_cost>("kdf.time_cost"),
    field<&Config::kdf, &KdfConfig::memory_kib>("kdf.memory_kib"),
    field<&Config::kdf, &KdfConfig::parallelism>("kdf.parallelism"),
    field<&Config::kdf, &KdfConfig::max_concurrent>("kdf.max_concurrent"),
    field<&Config::accounts, &AccountsConfig::lockout_threshold>("accounts.lockout_threshold"),
    field<&Config::accounts, &AccountsConfig::otp_required>("accounts.otp_required"),
    field<&Config::accounts, &AccountsConfig::password_min_length>("accounts.password_min_length"),
    field<&Config::accounts, &AccountsConfig::totp_issuer>("accounts.totp_issuer"),
    field<&Config::accounts, &AccountsConfig::default_key>("accounts.default_key"),
    field<&Config::csc, &CscConfig::access_token_seconds>("csc.access_token_seconds"),
    field<&Config::csc, &CscConfig::sad_seconds>("csc.sad_seconds"),
    field<&Config::csc, &CscConfig::multisign>("csc.multisign"),
    field<&Config::csc, &CscConfig::kept_sad_keys>("csc.kept_sad_keys"),
    field<&Config::csc, &CscConfig::scal>("csc.scal"),
    field<&Config::csc, &CscConfig::name>("csc.name"),
    field<&Config::csc, &CscConfig::region>("csc.region"),
    field<&Config::csc, &CscConfig::description>("csc.description"),
    field<&Config::csc, &CscConfig::logo_url>("csc.logo_url"),
    field<&Config::mail, &MailConfig::smtp_url>("mail.smtp_url"),
    field<&Config::mail, &MailConfig::from>("mail.from"),
    field<&Config::mail, &MailConfig::from_name>("mail.from_name"),
    field<&Config::mail, &MailConfig::username>("mail.username"),
    field<&Config::mail, &MailConfig::password_file>("mail.password_file"),
    field<&Config::mail, &MailConfig::ca_file>("mail.ca_file"),
    field<&Config::mail, &MailConfig::allow_plaintext>("mail.allow_plaintext"),
    field<&Config::mail, &MailConfig::poll_seconds>("mail.poll_seconds"),
    field<&Config::mail, &MailConfig::batch>("mail.batch"),
    field<&Config::mail, &MailConfig::retry_seconds>("mail.retry_seconds"),
    field<&Config::mail, &MailConfig::retry_max_seconds>("mail.retry_max_seconds"),
    field<&Config::mail, &MailConfig::max_attempts>("mail.max_attempts"),
    field<&Config::mail, &MailConfig::timeout_seconds>("mail.timeout_seconds"),
    field<&Config::mail, &MailConfig::digest_hour>("mail.digest_hour"),
    field<&Config::mail, &MailConfig::expiry_warning_days>("mail.expiry_warning_days"),
    field<&Config::office, &OfficeConfig::timezone_name>("office.timezone_name"),
    field<&Config::office, &OfficeConfig::utc_offset_minutes>("office.utc_offset_minutes"),
    field<&Config::office, &OfficeConfig::hours>("office.hours"),
    field<&Config::office, &OfficeConfig::slot_minutes>("office.slot_minutes"),
    field<&Config::office, &OfficeConfig::slot_capacity>("office.slot_capacity"),
    field<&Config::office, &OfficeConfig::operator_name>("office.operator_name"),
    field<&Config::office, &OfficeConfig::address>("office.address"),
    field<&Config::office, &OfficeConfig::phone>("office.phone"),
    field<&Config::office, &OfficeConfig::fax>("office.fax"),
    field<&Config::office, &OfficeConfig::email>("office.email"),
    field<&Config::office, &OfficeConfig::sales_email>("office.sales_email"),
    field<&Config::office, &OfficeConfig::helpdesk_email>("office.helpdesk_email"),
    field<&Config::ra, &RaConfig::max_document_bytes>("ra.max_document_bytes"),
    field<&Config::ra, &RaConfig::id_types>("ra.id_types"),
    field<&Config::ra, &RaConfig::staff_token_seconds>("ra.staff_token_seconds"),
    field<&Config::ra, &RaConfig::staff_login_lockout>("ra.staff_login_lockout"),
    field<&Config::validation, &ValidationConfig::trust_files>("validation.trust_files"),
    field<&Config::ui, &UiConfig::sign_in_failures>("ui.sign_in_failures"),
    field<&Config::ui, &UiConfig::bookings>("ui.bookings"),
    field<&Config::ui, &UiConfig::window_seconds>("ui.window_seconds"),
    field<&Config::ui, &UiConfig::public_url>("ui.public_url"),
    field<&Config::ui, &UiConfig::pdfjs_dir>("ui.pdfjs_dir"),
    field<&Config::log, &LogConfig::level>("log.level"),
};

// The value at "a.b.c" in `j`, or nullptr when any part is missing.
const json* value_at(const json& j, const std::string& path) {
    const json* at = &j;
    std::size_t from = 0;
    while (true) {
        std::size_t dot = path.find('.', from);
        std::string key = path.substr(from, dot == std::string::npos ? std::string::npos : dot - from);
        if (!at->is_object() || !at->contains(key)) return nullptr;
        at = &at->at(key);
        if (dot == std::string::npos) return at;
        from = dot + 1;
    }
}

// The fields with a shape of their own.
void read_structured(const json& j, Config& c) {
    if (const json* profiles = value_at(j, "ca.profiles")) {
        for (auto& [name, pj] : profiles->items()) {
            auto& p = c.ca.profiles[name];
            p.name = name;
            read_profile(pj, p, "ca.profiles." + name);
        }
    }
    if (const json* office = value_at(j, "office")) read_holidays(*office, c.office);
    if (const json* r = value_at(j, "ra")) read_ra_lists(*r, c.ra);
}

// Every field held to its range (the defaults pass).
void check(const Config& c) {
    for (const ListenerConfig* l : {&c.server.listener, &c.server.office_listener})
        if (l->port < 0 || l->port > 65535)
            invalid(std::string(l == &c.server.listener ? "server.listener" : "server.office_listener") +
                    ".port must be 0..65535");
    if (c.hsm.session_pool_size < 1) invalid("hsm.session_pool_size must be >= 1");
    if (c.transparency.head_signing_interval_seconds < 1) invalid("transparency.head_signing_interval_seconds must be >= 1");
    if (c.kdf.time_cost < 1 || c.kdf.memory_kib < 8 || c.kdf.parallelism < 1 || c.kdf.max_concurrent < 1)
        invalid("kdf.time_cost >= 1, kdf.memory_kib >= 8, kdf.parallelism >= 1 and kdf.max_concurrent >= 1 are required");
    if (c.accounts.lockout_threshold < 1) invalid("accounts.lockout_threshold must be >= 1");
    if (c.csc.scal != 1 && c.csc.scal != 2) invalid("csc.scal must be 1 or 2");
    if (c.csc.multisign < 1) invalid("csc.multisign must be >= 1");
    if (c.csc.kept_sad_keys < 0) invalid("csc.kept_sad_keys must be >= 0");
    const MailConfig& m = c.mail;
    if (!m.smtp_url.empty() && m.smtp_url.rfind("smtp://", 0) != 0 && m.smtp_url.rfind("smtps://", 0) != 0)
        invalid("mail.smtp_url must start with smtp:// or smtps://");
    if (m.poll_seconds < 1 || m.batch < 1 || m.retry_seconds < 1 || m.max_attempts < 1 || m.timeout_seconds < 1)
        invalid("mail.poll_seconds, batch, retry_seconds, max_attempts and timeout_seconds must be >= 1");
    if (m.digest_hour < 0 || m.digest_hour > 23) invalid("mail.digest_hour must be 0..23");
    if (m.from.find('@') == std::string::npos || m.from.find_first_of("<>\r\n ") != std::string::npos)
        invalid("mail.from must be a plain address (name@domain)");
    if (c.office.hours.size() != 7) invalid("office.hours needs 7 entries, Monday first");
    if (c.office.slot_minutes < 5 || c.office.slot_minutes > 240) invalid("office.slot_minutes must be 5..240");
    if (c.office.slot_capacity < 1) invalid("office.slot_capacity must be >= 1");
    if (c.ra.staff_login_lockout < 1) invalid("ra.staff_login_lockout must be >= 1");
    if (c.ui.sign_in_failures < 1 || c.ui.bookings < 1 || c.ui.window_seconds < 1)
        invalid("ui.sign_in_failures, ui.bookings and ui.window_seconds must be >= 1");
}

}  // namespace

std::optional<std::string> Config::sqlite_file() const {
    if (database.url.rfind("sqlite:", 0) != 0) return std::nullopt;
    return resolve(database.url.substr(7));
}

std::string Config::database_url() const {
    auto file = sqlite_file();
    return file ? "sqlite:" + *file : database.url;
}

Config parse_config(const std::string& home, const std::string& json_text) {
    Config c;
    c.home = std::filesystem::absolute(home).lexically_normal().string();
    c.ca.profiles = default_profiles();
    if (json_text.find_first_not_of(" \t\r\n") == std::string::npos) return c;
    json j;
    try {
        j = json::parse(json_text, nullptr, true, /*ignore_comments=*/true);
    } catch (const json::parse_error& e) {
        throw Error("config.invalid", 500, std::string("config file is not valid JSON: ") + e.what());
    }
    for (const Field& f : kFields)
        if (const json* v = value_at(j, f.path)) f.read(*v, c, f.path);
    read_structured(j, c);
    check(c);
    return c;
}

Config load_config(const std::string& home) {
    std::string text;
    std::filesystem::path file = std::filesystem::path(home) / "yunqian.json";
    if (std::filesystem::exists(file)) {
        std::ifstream in(file);
        std::stringstream ss;
        ss << in.rdbuf();
        text = ss.str();
    }
    return parse_config(home, text);
}

}  // namespace yq::core
