#pragma once
// yunqian's configuration. Every field has a safe default (Boulder: a usable zero value), so an empty config file is a
// valid config. Loaded from `$YQ_HOME/yunqian.json` (JSON with // comments); relative paths resolve against the home.
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

namespace yq::core {

struct ListenerConfig {
    std::string host = "127.0.0.1";
    int port = 8080;
    std::string tls_certificate;  // PEM chain file; TLS is on when both this and tls_private_key are set
    std::string tls_private_key;  // PEM key file
    // A listener on a non-loopback address must use TLS unless this is set on purpose (e.g. behind a TLS proxy).
    bool allow_plaintext_non_loopback = false;
};

struct ServerConfig {
    ListenerConfig listener;
    // The registration office's back office (its pages and the staff API) on an address of its own, e.g. an office
    // network only; host "" (the default) keeps it on the main listener.
    ListenerConfig office_listener{.host = "", .port = 8443};
    int io_threads = 0;         // 0 = one per core
    int worker_threads = 16;    // bounded pool for HSM, KDF and database work (Argon2id itself: kdf.max_concurrent)
    std::size_t max_body_bytes = 16 * 1024 * 1024;
    std::size_t max_ocsp_request_bytes = 16 * 1024;
    std::size_t max_tsa_request_bytes = 16 * 1024;
    int read_timeout_seconds = 30;
};

struct DatabaseConfig {
    // "sqlite:PATH" (default: sqlite:db/yunqian.sqlite3 under the home) or a libpq URL "postgresql://..."
    std::string url = "sqlite:db/yunqian.sqlite3";
    int busy_timeout_ms = 10000;
};

struct HsmConfig {
    std::string module = "/usr/lib/softhsm/libsofthsm2.so";
    std::string softhsm2_conf = "hsm/softhsm2.conf";  // exported as SOFTHSM2_CONF before the module loads ("" = leave env)
    std::string token_label = "yunqian";
    std::string pin_file = "hsm/pins.json";  // 0600 JSON {"user_pin": "...", "so_pin": "..."}
    int session_pool_size = 8;
};

// A certificate profile is data: which subject attributes it takes, its extensions and validity.
struct CertificateProfile {
    std::string name;
    int validity_days = 365;
    std::string key_usage;           // OpenSSL extension syntax, e.g. "critical,digitalSignature,nonRepudiation"
    std::string extended_key_usage;  // "" = none
    std::vector<std::string> subject_attributes;   // accepted from the request, in this order
    std::vector<std::string> required_attributes;  // must be present
    std::vector<std::string> policy_oids;
    std::string cps_uri;
    bool crl_distribution_point = true;
    bool authority_info_access = true;
    bool ocsp_no_check = false;
    bool email_in_subject_alt_name = false;
};

struct CaConfig {
    std::string base_url = "http://127.0.0.1:8080";  // used in CRL DP, AIA and OCSP URLs inside certificates
    std::string root_subject = "/C=MO/O=yunqian/CN=yunqian Root CA";
    std::string issuing_subject = "/C=MO/O=yunqian/CN=yunqian Issuing CA G1";
    std::string ocsp_subject = "/C=MO/O=yunqian/CN=yunqian OCSP Responder G1";
    std::string tsa_subject = "/C=MO/O=yunqian/CN=yunqian Time-Stamping Authority G1";
    std::string audit_subject = "/C=MO/O=yunqian/CN=yunqian Audit Log Signer G1";
    std::string transparency_subject = "/C=MO/O=yunqian/CN=yunqian Signing Transparency Log G1";
    std::string validation_subject = "/C=MO/O=yunqian/CN=yunqian Validation Service G1";
    std::string root_key = "ec-p384";
    std::string issuing_key = "ec-p256";
    std::string service_key = "ec-p256";  // OCSP responder, TSA, audit head signer, transparency log
    int root_validity_days = 7300;
    int issuing_validity_days = 3650;
    int crl_validity_hours = 24;         // nextUpdate - thisUpdate
    int crl_regenerate_minutes = 60;     // scheduled regeneration
    int renewal_window_days = 30;
    std::map<std::string, CertificateProfile> profiles;  // filled with defaults, overridable per field
};

struct OcspConfig {
    int response_validity_seconds = 4 * 3600;  // nextUpdate of pre-signed responses
    int refresh_before_seconds = 3600;         // re-sign when less than this is left
    int status_poll_ms = 500;                  // how often a node checks the database for status changes
};

struct TsaConfig {
    std::string policy_oid = "2.25.178342861405338106479209537306254716531.2.1";
    int accuracy_seconds = 1;
};

struct AuditConfig {
    int head_signing_interval_seconds = 3600;
};

// #18: the signing transparency log signs its tree head this often when it grew (and on demand, when a proof is
// asked for a leaf no signed head covers yet).
struct TransparencyConfig {
    int head_signing_interval_seconds = 300;
};

// Argon2id cost for passwords (RFC 9106 §4 second recommended option: t=3, 64 MiB); tests use smaller values.
struct KdfConfig {
    std::uint32_t time_cost = 3;
    std::uint32_t memory_kib = 64 * 1024;
    std::uint32_t parallelism = 1;
    int max_concurrent = 2;  // Argon2id computations at once in the process (core/kdf_slots.hpp)
};

struct AccountsConfig {
    int lockout_threshold = 5;         // wrong signing passwords/OTPs in a row that lock the account
    bool otp_required = true;          // TOTP needed to authorise signing
    std::size_t password_min_length = 10;
    std::string totp_issuer = "yunqian";
    std::string default_key = "ec-p256";
};

struct CscConfig {
    int access_token_seconds = 3600;   // auth/login expires_in
    int sad_seconds = 300;             // SAD lifetime (5 minutes)
    int multisign = 100;               // most signatures one SAD may authorise
    int scal = 2;                      // 2 = SAD bound to the exact hashes; 1 = count only
    int kept_sad_keys = 1024;          // per-SAD keys kept unwrapped in the HSM between calls (#19); 0 = none
    std::string name = "yunqian";
    std::string region = "MO";
    std::string description = "yunqian remote signing service";
    std::string logo_url = "http://127.0.0.1:8080/static/logo.png";
};

// The registration office's calendar (domain: office hours Mon–Thu 9:00–17:45, Fri 9:00–17:30, Asia/Macau).
// Macau keeps UTC+8 all year (no daylight saving since 1979), so a fixed offset is exact there.
// Text the office gives per language ("zh-Hant", "pt", "en"). In the configuration a plain string is the same text in
// every language.
using LocalText = std::map<std::string, std::string>;
// The text in `lang`: its own, else zh-Hant's (the office's first language), else any; "" when there is none.
std::string text_in(const LocalText& text, const std::string& lang);

struct OfficeConfig {
    std::string timezone_name = "Asia/Macau";
    int utc_offset_minutes = 8 * 60;
    // "HH:MM-HH:MM" per weekday, "" = closed; index 0 = Monday … 6 = Sunday
    std::vector<std::string> hours = {"09:00-17:45", "09:00-17:45", "09:00-17:45", "09:00-17:45", "09:00-17:30", "", ""};
    // "YYYY-MM-DD" local dates the office is closed; in the configuration each is a date or {"date", "name"}
    std::vector<std::string> holidays;
    std::map<std::string, LocalText> holiday_names;  // date → the holiday's name, where the configuration gives one
    int slot_minutes = 15;
    int slot_capacity = 2;  // appointments per slot (counters open at once)
    // Contacts and facts shown on every public page, the office section of the home page and printed letters (#16;
    // empty: not shown). docs/examples/office-macau.json is the seed office's example.
    LocalText operator_name;  // who runs the service (e.g. the certification authority's operator)
    LocalText address = {{"zh-Hant", "澳門 雲簽核證機構 註冊署"},
                         {"pt", "Secção de registo da entidade certificadora yunqian, Macau"},
                         {"en", "Registration office, yunqian certification authority, Macau"}};
    std::string phone;
    std::string fax;
    std::string email;           // enquiries and complaints
    std::string sales_email;     // applications and prices
    std::string helpdesk_email;  // technical help with signing and verifying
};

// A form the office issues, as printed on it (#16): its code and version.
struct FormIssue {
    std::string code;
    std::string version;
};

// A service a user may apply for on the service application form (#16: data, not template text).
struct ServiceOffer {
    std::string id;
    LocalText name;
};

// The registration office: documents each request type needs, upload limits, staff sign-in, the forms it issues.
struct RaConfig {
    std::size_t max_document_bytes = 10 * 1024 * 1024;
    // request type → document types it needs. "agency_delegate" is added to "agency" when the representative is not
    // the agency head (the authorisation letter).
    std::map<std::string, std::vector<std::string>> checklists = {
        {"agency", {"agency_application_form", "representative_id_copy", "contact_id_copy"}},
        {"agency_delegate", {"authorisation_letter"}},
        {"application", {"service_application_form", "user_id_copy"}},
        {"revocation", {"revocation_request_form"}},
        {"renewal", {"renewal_request_form"}},
        {"unlock", {"unlock_request_form", "user_id_copy"}},
        {"rekey", {"unlock_request_form", "user_id_copy"}},
        {"recovery", {"unlock_request_form", "user_id_copy"}},
    };
    std::vector<std::string> id_types = {"macau_bir", "hk_id", "passport", "other"};
    // document type → the code and version printed on the form
    std::map<std::string, FormIssue> forms = {
        {"agency_application_form", {"YQ-RA-01", "2026.12"}}, {"authorisation_letter", {"YQ-RA-02", "2026.12"}},
        {"service_application_form", {"YQ-RA-03", "2026.12"}}, {"unlock_request_form", {"YQ-RA-04", "2026.12"}},
        {"revocation_request_form", {"YQ-RA-05", "2026.12"}},  {"renewal_request_form", {"YQ-RA-06", "2026.12"}},
    };
    // the services on the service application form (an 「其他」 box follows them)
    std::vector<ServiceOffer> services = {
        {"cloud_signing", {{"zh-Hant", "雲簽遠端電子簽署帳戶"}, {"pt", "Conta de assinatura electrónica remota (yunqian)"},
                           {"en", "Cloud-signing account (remote electronic signature)"}}},
        {"personal_certificate", {{"zh-Hant", "個人電子簽署證書"}, {"pt", "Certificado pessoal de assinatura electrónica"},
                                  {"en", "Personal electronic-signature certificate"}}},
    };
    int staff_token_seconds = 8 * 3600;
    int staff_login_lockout = 5;  // wrong staff passwords/OTPs in a row that lock the staff sign-in
};

// The validation service: trust anchors besides our own root (e.g. another CA of the same trust list).
struct ValidationConfig {
    std::vector<std::string> trust_files;  // PEM files, each with one or more CA certificates
};

// The web UI's limits on repeated attempts, per client address and per username, in a sliding window.
struct UiConfig {
    int sign_in_failures = 10;        // failed sign-ins (portal, office, CSC auth/login) per address and per username in the window
    int bookings = 5;                 // appointment bookings per address in the window
    int window_seconds = 15 * 60;
    // The address signers use, printed on PIN letters (e.g. "https://sign.example.mo"); "" = the address the office
    // page was reached at — set it when the back office has a listener of its own.
    std::string public_url;
    // pdf.js for the signing page's preview (Debian's libjs-pdf); without it the page offers the nine places only.
    std::string pdfjs_dir = "/usr/share/javascript/pdf/build";
};

// E-mail notices (#16): where the queue is sent. With no smtp_url the notices are queued (nothing is lost) and wait until
// one is configured.
struct MailConfig {
    // "smtp://HOST:PORT" (STARTTLS, required unless the host is loopback or allow_plaintext is set) or
    // "smtps://HOST:465" (TLS from the first byte)
    std::string smtp_url;
    std::string from = "yunqian@localhost";  // envelope and From: address
    LocalText from_name = {{"zh-Hant", "雲簽 註冊署"}, {"pt", "yunqian"}};
    std::string username;       // SMTP AUTH user; "" = no authentication
    std::string password_file;  // the SMTP password, alone in a 0600 file (never in this configuration)
    std::string ca_file;        // PEM CA bundle to check the mail server's certificate; "" = the system's
    bool allow_plaintext = false;  // send without TLS to a non-loopback server (a relay on a trusted network)
    int poll_seconds = 15;         // how often a node looks for due notices
    int batch = 20;                // notices taken per look
    int retry_seconds = 60;        // first retry after a failure; doubled per attempt up to retry_max_seconds
    int retry_max_seconds = 3600;
    int max_attempts = 48;         // then the notice is given up (audited) and listed on the office's notices page
    int timeout_seconds = 30;      // one SMTP conversation
    int digest_hour = 8;           // office time the signers' daily digests leave
    std::vector<int> expiry_warning_days = {30, 7};  // warn this many days before a signing certificate expires
};

struct LogConfig {
    std::string level = "info";
};

struct Config {
    std::string home;  // absolute; every relative path below resolves against it
    ServerConfig server;
    DatabaseConfig database;
    HsmConfig hsm;
    CaConfig ca;
    OcspConfig ocsp;
    TsaConfig tsa;
    AuditConfig audit;
    TransparencyConfig transparency;
    KdfConfig kdf;
    AccountsConfig accounts;
    CscConfig csc;
    OfficeConfig office;
    RaConfig ra;
    ValidationConfig validation;
    UiConfig ui;
    MailConfig mail;
    LogConfig log;

    std::string resolve(const std::string& path) const;  // home-relative → absolute
    // The SQLite database file (absolute) when database.url is "sqlite:PATH"; nothing for PostgreSQL.
    std::optional<std::string> sqlite_file() const;
    // database.url as storage::Database::open takes it: a SQLite path made absolute, a PostgreSQL URL as it is.
    std::string database_url() const;
};

// The four profiles the design names: organisation, signer, ocsp, tsa.
std::map<std::string, CertificateProfile> default_profiles();
// Defaults, then `home/yunqian.json` if present. Throws Error "config.invalid" naming the bad field.
Config load_config(const std::string& home);
// Parses config text over the defaults (exposed for tests).
Config parse_config(const std::string& home, const std::string& json_text);

}  // namespace yq::core
