#include "notices/smtp_mailer.hpp"

#include <curl/curl.h>

#include <cstring>
#include <ctime>
#include <fstream>
#include <memory>
#include <mutex>

#include "core/bytes.hpp"
#include "core/error.hpp"

namespace yq::notices {

namespace {

bool is_ascii_printable(const std::string& s) {
    for (unsigned char ch : s)
        if (ch < 0x20 || ch > 0x7e) return false;
    return true;
}

// The host part of "smtp://host:port/…" (brackets kept off an IPv6 literal).
std::string url_host(const std::string& url) {
    std::size_t start = url.find("://");
    start = start == std::string::npos ? 0 : start + 3;
    if (start < url.size() && url[start] == '[') {
        std::size_t end = url.find(']', start);
        return url.substr(start + 1, end == std::string::npos ? std::string::npos : end - start - 1);
    }
    std::size_t end = url.find_first_of(":/", start);
    return url.substr(start, end == std::string::npos ? std::string::npos : end - start);
}

bool is_loopback(const std::string& host) {
    return host == "localhost" || host == "::1" || host.rfind("127.", 0) == 0;
}

void curl_global() {
    static std::once_flag once;
    std::call_once(once, [] { curl_global_init(CURL_GLOBAL_DEFAULT); });
}

struct Upload {
    const std::string* text;
    std::size_t offset = 0;
};

std::size_t read_upload(char* buffer, std::size_t size, std::size_t count, void* user) {
    auto* up = static_cast<Upload*>(user);
    std::size_t n = std::min(size * count, up->text->size() - up->offset);
    std::memcpy(buffer, up->text->data() + up->offset, n);
    up->offset += n;
    return n;
}

std::string base64_lines(const std::string& text) {
    std::string b64 = core::base64_encode(reinterpret_cast<const std::uint8_t*>(text.data()), text.size());
    std::string out;
    for (std::size_t i = 0; i < b64.size(); i += 76) out += b64.substr(i, 76) + "\r\n";  // RFC 2045 §6.8: ≤ 76
    return out;
}

std::string mailbox(const std::string& name, const std::string& address) {
    return name.empty() ? "<" + address + ">" : encode_header_text(name) + " <" + address + ">";
}

}  // namespace

std::string encode_header_text(const std::string& utf8) {
    if (is_ascii_printable(utf8) && utf8.find("=?") == std::string::npos) return utf8;
    // "=?UTF-8?B?" + base64 + "?=" ≤ 75 → base64 ≤ 63 → 45 bytes of UTF-8 per word (whole characters only)
    constexpr std::size_t kMaxBytes = 45;
    std::string out;
    std::size_t i = 0;
    while (i < utf8.size()) {
        std::size_t end = std::min(i + kMaxBytes, utf8.size());
        while (end < utf8.size() && end > i && (static_cast<unsigned char>(utf8[end]) & 0xC0) == 0x80) --end;
        if (!out.empty()) out += "\r\n ";  // folding white space between encoded words is ignored by readers (§6.2)
        out += "=?UTF-8?B?" +
               core::base64_encode(reinterpret_cast<const std::uint8_t*>(utf8.data() + i), end - i) + "?=";
        i = end;
    }
    return out;
}

std::string rfc5322_date(std::int64_t unix_seconds) {
    std::time_t t = static_cast<std::time_t>(unix_seconds);
    std::tm tm{};
    gmtime_r(&t, &tm);
    static const char* days[] = {"Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"};
    static const char* months[] = {"Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};
    char buf[48];
    std::snprintf(buf, sizeof buf, "%s, %02d %s %04d %02d:%02d:%02d +0000", days[tm.tm_wday], tm.tm_mday,
                  months[tm.tm_mon], tm.tm_year + 1900, tm.tm_hour, tm.tm_min, tm.tm_sec);
    return buf;
}

bool plausible_address(const std::string& address) {
    auto at = address.find('@');
    return at != std::string::npos && at > 0 && at + 1 < address.size() && address.find('@', at + 1) == std::string::npos &&
           address.size() <= 254 && is_ascii_printable(address) && address.find_first_of("<>()[],;:\\\" ") == std::string::npos;
}

std::string rfc5322_message(const core::MailConfig& config, const OutgoingMail& mail) {
    // RFC 5322 §3.6: Date and From are required; Message-ID names the queue row so a resent mail is the same message
    std::string m;
    m += "Date: " + rfc5322_date(mail.date) + "\r\n";
    m += "From: " + mailbox(core::text_in(config.from_name, "zh-Hant"), config.from) + "\r\n";
    m += "To: " + mailbox(mail.to_name, mail.to) + "\r\n";
    m += "Message-ID: <" + mail.message_id + ">\r\n";
    m += "Subject: " + encode_header_text(mail.message.subject) + "\r\n";
    m += "Auto-Submitted: auto-generated\r\n";  // RFC 3834 §5: no auto-replies to a notice
    m += "MIME-Version: 1.0\r\n";               // RFC 2045 §4
    m += "Content-Type: text/plain; charset=UTF-8\r\n";
    m += "Content-Transfer-Encoding: base64\r\n";
    m += "Content-Language: zh-Hant, pt\r\n";   // RFC 3282
    m += "\r\n";
    std::string crlf;
    for (char ch : mail.message.body) {
        if (ch == '\n') crlf += '\r';
        crlf += ch;
    }
    m += base64_lines(crlf);
    return m;
}

SmtpMailer::SmtpMailer(const core::MailConfig& config, const std::string& home) : m_config(config) {
    curl_global();
    auto resolve = [&](const std::string& p) { return p.empty() || p.front() == '/' ? p : home + "/" + p; };
    m_ca_file = resolve(config.ca_file);
    if (!config.password_file.empty()) {
        std::ifstream in(resolve(config.password_file), std::ios::binary);
        if (!in) throw Error("notices.smtp_misconfigured", 500, "cannot read mail.password_file");
        std::getline(in, m_password);
        while (!m_password.empty() && (m_password.back() == '\r' || m_password.back() == ' ')) m_password.pop_back();
    }
}

void SmtpMailer::send(const OutgoingMail& mail) {
    if (m_config.smtp_url.empty()) throw Error("notices.smtp_not_configured", 503, "no mail.smtp_url is configured");
    if (!plausible_address(mail.to)) throw Error("notices.bad_address", 422, "the recipient's e-mail address is not valid");
    std::unique_ptr<CURL, decltype(&curl_easy_cleanup)> curl(curl_easy_init(), &curl_easy_cleanup);
    if (!curl) throw Error("notices.smtp_failed", 503, "libcurl could not start");
    CURL* h = curl.get();
    const std::string text = rfc5322_message(m_config, mail);
    Upload upload{&text};
    const std::string from = "<" + m_config.from + ">", to = "<" + mail.to + ">";
    std::unique_ptr<curl_slist, decltype(&curl_slist_free_all)> rcpt(curl_slist_append(nullptr, to.c_str()),
                                                                      &curl_slist_free_all);
    const bool plaintext_ok = is_loopback(url_host(m_config.smtp_url)) || m_config.allow_plaintext;
    curl_easy_setopt(h, CURLOPT_URL, m_config.smtp_url.c_str());
    curl_easy_setopt(h, CURLOPT_PROTOCOLS_STR, "smtp,smtps");
    // RFC 3207: STARTTLS, required unless the server is on this machine (or a trusted relay the operator allowed)
    curl_easy_setopt(h, CURLOPT_USE_SSL, plaintext_ok ? CURLUSESSL_TRY : CURLUSESSL_ALL);
    if (!m_ca_file.empty()) curl_easy_setopt(h, CURLOPT_CAINFO, m_ca_file.c_str());
    if (!m_config.username.empty()) {
        curl_easy_setopt(h, CURLOPT_USERNAME, m_config.username.c_str());
        curl_easy_setopt(h, CURLOPT_PASSWORD, m_password.c_str());
    }
    curl_easy_setopt(h, CURLOPT_MAIL_FROM, from.c_str());
    curl_easy_setopt(h, CURLOPT_MAIL_RCPT, rcpt.get());
    curl_easy_setopt(h, CURLOPT_READFUNCTION, &read_upload);
    curl_easy_setopt(h, CURLOPT_READDATA, &upload);
    curl_easy_setopt(h, CURLOPT_UPLOAD, 1L);
    curl_easy_setopt(h, CURLOPT_CONNECTTIMEOUT, 10L);
    curl_easy_setopt(h, CURLOPT_TIMEOUT, static_cast<long>(m_config.timeout_seconds));
    curl_easy_setopt(h, CURLOPT_NOSIGNAL, 1L);
    char reason[CURL_ERROR_SIZE] = {0};
    curl_easy_setopt(h, CURLOPT_ERRORBUFFER, reason);
    CURLcode rc = curl_easy_perform(h);
    if (rc != CURLE_OK) {
        long reply = 0;
        curl_easy_getinfo(h, CURLINFO_RESPONSE_CODE, &reply);
        std::string why = reason[0] ? reason : curl_easy_strerror(rc);
        // RFC 5321 §4.2.3: 550/551/553 refuse this mailbox for good; trying again will not help
        if (reply == 550 || reply == 551 || reply == 553)
            throw Error("notices.smtp_rejected", 422, "the mail server refused the recipient (SMTP " +
                                                          std::to_string(reply) + "): " + why);
        throw Error("notices.smtp_failed", 503,
                    "the mail server did not take the mail" + (reply ? " (SMTP " + std::to_string(reply) + ")" : std::string()) +
                        ": " + why);
    }
}

}  // namespace yq::notices
