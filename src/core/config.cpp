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

// A plain string (the same text in every language) or {"zh-Hant": …, "pt": …, "en": …}.
void read_local_text(const json& j, const char* key, LocalText& out, const std::string& where) {
    if (!j.contains(key)) return;
    const json& v = j.at(key);
    if (v.is_string()) {
        out = {{"zh-Hant", v.get<std::string>()}};
        return;
    }
    if (!v.is_object()) invalid(where + "." + key + " is a text or an object of texts by language");
    out.clear();
    for (const auto& [lang, text] : v.items()) {
        if (!text.is_string()) invalid(where + "." + key + "." + lang + " must be a text");
        out[lang] = text.get<std::string>();
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
            read_local_text(h, "name", office.holiday_names[date], "office.holidays[" + date + "]");
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
    if (j.contains("server")) {
        const json& s = j["server"];
        read(s, "io_threads", c.server.io_threads, "server");
        read(s, "worker_threads", c.server.worker_threads, "server");
        read(s, "max_body_bytes", c.server.max_body_bytes, "server");
        read(s, "max_ocsp_request_bytes", c.server.max_ocsp_request_bytes, "server");
        read(s, "max_tsa_request_bytes", c.server.max_tsa_request_bytes, "server");
        read(s, "read_timeout_seconds", c.server.read_timeout_seconds, "server");
        auto read_listener = [&](const char* name, ListenerConfig& target) {
            if (!s.contains(name)) return;
            const json& l = s[name];
            std::string where = std::string("server.") + name;
            read(l, "host", target.host, where);
            read(l, "port", target.port, where);
            read(l, "tls_certificate", target.tls_certificate, where);
            read(l, "tls_private_key", target.tls_private_key, where);
            read(l, "allow_plaintext_non_loopback", target.allow_plaintext_non_loopback, where);
            if (target.port < 0 || target.port > 65535)
                throw Error("config.invalid", 500, "config field " + where + ".port must be 0..65535");
        };
        read_listener("listener", c.server.listener);
        read_listener("office_listener", c.server.office_listener);
    }
    if (j.contains("database")) {
        read(j["database"], "url", c.database.url, "database");
        read(j["database"], "busy_timeout_ms", c.database.busy_timeout_ms, "database");
    }
    if (j.contains("hsm")) {
        const json& h = j["hsm"];
        read(h, "module", c.hsm.module, "hsm");
        read(h, "softhsm2_conf", c.hsm.softhsm2_conf, "hsm");
        read(h, "token_label", c.hsm.token_label, "hsm");
        read(h, "pin_file", c.hsm.pin_file, "hsm");
        read(h, "session_pool_size", c.hsm.session_pool_size, "hsm");
    }
    if (j.contains("ca")) {
        const json& a = j["ca"];
        read(a, "base_url", c.ca.base_url, "ca");
        read(a, "root_subject", c.ca.root_subject, "ca");
        read(a, "issuing_subject", c.ca.issuing_subject, "ca");
        read(a, "ocsp_subject", c.ca.ocsp_subject, "ca");
        read(a, "tsa_subject", c.ca.tsa_subject, "ca");
        read(a, "audit_subject", c.ca.audit_subject, "ca");
        read(a, "transparency_subject", c.ca.transparency_subject, "ca");
        read(a, "validation_subject", c.ca.validation_subject, "ca");
        read(a, "root_key", c.ca.root_key, "ca");
        read(a, "issuing_key", c.ca.issuing_key, "ca");
        read(a, "service_key", c.ca.service_key, "ca");
        read(a, "root_validity_days", c.ca.root_validity_days, "ca");
        read(a, "issuing_validity_days", c.ca.issuing_validity_days, "ca");
        read(a, "crl_validity_hours", c.ca.crl_validity_hours, "ca");
        read(a, "crl_regenerate_minutes", c.ca.crl_regenerate_minutes, "ca");
        read(a, "renewal_window_days", c.ca.renewal_window_days, "ca");
        if (a.contains("profiles")) {
            for (auto& [name, pj] : a["profiles"].items()) {
                auto& p = c.ca.profiles[name];
                p.name = name;
                read_profile(pj, p, "ca.profiles." + name);
            }
        }
    }
    if (j.contains("ocsp")) {
        read(j["ocsp"], "response_validity_seconds", c.ocsp.response_validity_seconds, "ocsp");
        read(j["ocsp"], "refresh_before_seconds", c.ocsp.refresh_before_seconds, "ocsp");
        read(j["ocsp"], "status_poll_ms", c.ocsp.status_poll_ms, "ocsp");
    }
    if (j.contains("tsa")) {
        read(j["tsa"], "policy_oid", c.tsa.policy_oid, "tsa");
        read(j["tsa"], "accuracy_seconds", c.tsa.accuracy_seconds, "tsa");
    }
    if (j.contains("audit")) read(j["audit"], "head_signing_interval_seconds", c.audit.head_signing_interval_seconds, "audit");
    if (j.contains("transparency")) {
        read(j["transparency"], "head_signing_interval_seconds", c.transparency.head_signing_interval_seconds,
             "transparency");
        if (c.transparency.head_signing_interval_seconds < 1)
            throw Error("config.invalid", 500, "transparency.head_signing_interval_seconds must be >= 1");
    }
    if (j.contains("kdf")) {
        read(j["kdf"], "time_cost", c.kdf.time_cost, "kdf");
        read(j["kdf"], "memory_kib", c.kdf.memory_kib, "kdf");
        read(j["kdf"], "parallelism", c.kdf.parallelism, "kdf");
        read(j["kdf"], "max_concurrent", c.kdf.max_concurrent, "kdf");
        if (c.kdf.time_cost < 1 || c.kdf.memory_kib < 8 || c.kdf.parallelism < 1 || c.kdf.max_concurrent < 1)
            throw Error("config.invalid", 500,
                        "kdf.time_cost >= 1, kdf.memory_kib >= 8, kdf.parallelism >= 1 and kdf.max_concurrent >= 1 are "
                        "required");
    }
    if (j.contains("accounts")) {
        const json& a = j["accounts"];
        read(a, "lockout_threshold", c.accounts.lockout_threshold, "accounts");
        read(a, "otp_required", c.accounts.otp_required, "accounts");
        read(a, "password_min_length", c.accounts.password_min_length, "accounts");
        read(a, "totp_issuer", c.accounts.totp_issuer, "accounts");
        read(a, "default_key", c.accounts.default_key, "accounts");
        if (c.accounts.lockout_threshold < 1) throw Error("config.invalid", 500, "accounts.lockout_threshold must be >= 1");
    }
    if (j.contains("csc")) {
        const json& s = j["csc"];
        read(s, "access_token_seconds", c.csc.access_token_seconds, "csc");
        read(s, "sad_seconds", c.csc.sad_seconds, "csc");
        read(s, "multisign", c.csc.multisign, "csc");
        read(s, "kept_sad_keys", c.csc.kept_sad_keys, "csc");
        read(s, "scal", c.csc.scal, "csc");
        read(s, "name", c.csc.name, "csc");
        read(s, "region", c.csc.region, "csc");
        read(s, "description", c.csc.description, "csc");
        read(s, "logo_url", c.csc.logo_url, "csc");
        if (c.csc.scal != 1 && c.csc.scal != 2) throw Error("config.invalid", 500, "csc.scal must be 1 or 2");
        if (c.csc.multisign < 1) throw Error("config.invalid", 500, "csc.multisign must be >= 1");
        if (c.csc.kept_sad_keys < 0) throw Error("config.invalid", 500, "csc.kept_sad_keys must be >= 0");
    }
    if (j.contains("mail")) {
        const json& m = j["mail"];
        read(m, "smtp_url", c.mail.smtp_url, "mail");
        read(m, "from", c.mail.from, "mail");
        read_local_text(m, "from_name", c.mail.from_name, "mail");
        read(m, "username", c.mail.username, "mail");
        read(m, "password_file", c.mail.password_file, "mail");
        read(m, "ca_file", c.mail.ca_file, "mail");
        read(m, "allow_plaintext", c.mail.allow_plaintext, "mail");
        read(m, "poll_seconds", c.mail.poll_seconds, "mail");
        read(m, "batch", c.mail.batch, "mail");
        read(m, "retry_seconds", c.mail.retry_seconds, "mail");
        read(m, "retry_max_seconds", c.mail.retry_max_seconds, "mail");
        read(m, "max_attempts", c.mail.max_attempts, "mail");
        read(m, "timeout_seconds", c.mail.timeout_seconds, "mail");
        read(m, "digest_hour", c.mail.digest_hour, "mail");
        read(m, "expiry_warning_days", c.mail.expiry_warning_days, "mail");
        if (!c.mail.smtp_url.empty() && c.mail.smtp_url.rfind("smtp://", 0) != 0 && c.mail.smtp_url.rfind("smtps://", 0) != 0)
            invalid("mail.smtp_url must start with smtp:// or smtps://");
        if (c.mail.poll_seconds < 1 || c.mail.batch < 1 || c.mail.retry_seconds < 1 || c.mail.max_attempts < 1 ||
            c.mail.timeout_seconds < 1)
            invalid("mail.poll_seconds, batch, retry_seconds, max_attempts and timeout_seconds must be >= 1");
        if (c.mail.digest_hour < 0 || c.mail.digest_hour > 23) invalid("mail.digest_hour must be 0..23");
        if (c.mail.from.find('@') == std::string::npos || c.mail.from.find_first_of("<>\r\n ") != std::string::npos)
            invalid("mail.from must be a plain address (name@domain)");
    }
    if (j.contains("office")) {
        const json& o = j["office"];
        read(o, "timezone_name", c.office.timezone_name, "office");
        read(o, "utc_offset_minutes", c.office.utc_offset_minutes, "office");
        read(o, "hours", c.office.hours, "office");
        read_holidays(o, c.office);
        read(o, "slot_minutes", c.office.slot_minutes, "office");
        read(o, "slot_capacity", c.office.slot_capacity, "office");
        read_local_text(o, "operator_name", c.office.operator_name, "office");
        read_local_text(o, "address", c.office.address, "office");
        read(o, "phone", c.office.phone, "office");
        read(o, "fax", c.office.fax, "office");
        read(o, "email", c.office.email, "office");
        read(o, "sales_email", c.office.sales_email, "office");
        read(o, "helpdesk_email", c.office.helpdesk_email, "office");
        if (c.office.hours.size() != 7) throw Error("config.invalid", 500, "office.hours needs 7 entries, Monday first");
        if (c.office.slot_minutes < 5 || c.office.slot_minutes > 240)
            throw Error("config.invalid", 500, "office.slot_minutes must be 5..240");
        if (c.office.slot_capacity < 1) throw Error("config.invalid", 500, "office.slot_capacity must be >= 1");
    }
    if (j.contains("ra")) {
        const json& r = j["ra"];
        read(r, "max_document_bytes", c.ra.max_document_bytes, "ra");
        if (r.contains("checklists")) {  // entries given replace the defaults of the same request type
            std::map<std::string, std::vector<std::string>> given;
            read(r, "checklists", given, "ra");
            for (auto& [type, docs] : given) c.ra.checklists[type] = std::move(docs);
        }
        read(r, "id_types", c.ra.id_types, "ra");
        if (r.contains("forms")) {  // entries given replace the defaults of the same form
            if (!r.at("forms").is_object()) invalid("ra.forms is an object: document type → {code, version}");
            for (const auto& [type, f] : r.at("forms").items()) {
                if (!f.is_object()) invalid("ra.forms." + type + " is {code, version}");
                FormIssue issue = c.ra.forms[type];
                read(f, "code", issue.code, "ra.forms." + type);
                read(f, "version", issue.version, "ra.forms." + type);
                c.ra.forms[type] = issue;
            }
        }
        if (r.contains("services")) {  // the list given replaces the default list
            if (!r.at("services").is_array()) invalid("ra.services is a list of {id, name}");
            c.ra.services.clear();
            for (const auto& o : r.at("services")) {
                if (!o.is_object() || !o.contains("id") || !o.at("id").is_string())
                    invalid("ra.services: each entry is {\"id\", \"name\"}");
                ServiceOffer offer{o.at("id").get<std::string>(), {}};
                read_local_text(o, "name", offer.name, "ra.services." + offer.id);
                c.ra.services.push_back(offer);
            }
        }
        read(r, "staff_token_seconds", c.ra.staff_token_seconds, "ra");
        read(r, "staff_login_lockout", c.ra.staff_login_lockout, "ra");
        if (c.ra.staff_login_lockout < 1) throw Error("config.invalid", 500, "ra.staff_login_lockout must be >= 1");
    }
    if (j.contains("validation")) read(j["validation"], "trust_files", c.validation.trust_files, "validation");
    if (j.contains("ui")) {
        read(j["ui"], "sign_in_failures", c.ui.sign_in_failures, "ui");
        read(j["ui"], "bookings", c.ui.bookings, "ui");
        read(j["ui"], "window_seconds", c.ui.window_seconds, "ui");
        read(j["ui"], "public_url", c.ui.public_url, "ui");
        read(j["ui"], "pdfjs_dir", c.ui.pdfjs_dir, "ui");
        if (c.ui.sign_in_failures < 1 || c.ui.bookings < 1 || c.ui.window_seconds < 1)
            throw Error("config.invalid", 500, "ui.sign_in_failures, ui.bookings and ui.window_seconds must be >= 1");
    }
    if (j.contains("log")) read(j["log"], "level", c.log.level, "log");
    if (c.server.listener.port < 0 || c.server.listener.port > 65535)
        throw Error("config.invalid", 500, "config field server.listener.port must be 0..65535");
    if (c.hsm.session_pool_size < 1) throw Error("config.invalid", 500, "config field hsm.session_pool_size must be >= 1");
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
