#pragma once
// Sending one notice mail over SMTP (RFC 5321) with libcurl: STARTTLS or implicit TLS, optional AUTH, a bounded
// conversation. The message is built here as RFC 5322 text: UTF-8 subject and display names as RFC 2047 encoded
// words, a text/plain UTF-8 body in base64 (RFC 2045 §6.8), so any relay carries it unchanged.
// Error style: throws yq::Error with the server's or libcurl's reason (never the password): 422 "notices.smtp_rejected"
// when the server refuses the recipient for good, 503 "notices.smtp_failed" for anything worth trying again.
#include <cstdint>
#include <string>

#include "core/config.hpp"
#include "core/secure_buffer.hpp"
#include "notices/message_composer.hpp"

namespace yq::notices {

struct OutgoingMail {
    std::string to;       // addr-spec
    std::string to_name;  // display name, may be UTF-8
    std::string message_id;  // without <>
    std::int64_t date = 0;   // unix seconds
    ComposedMessage message;
};

class MailTransport {
public:
    virtual ~MailTransport() = default;
    // Returns when the mail server accepted the mail for delivery; throws otherwise.
    virtual void send(const OutgoingMail& mail) = 0;
};

class SmtpMailer final : public MailTransport {
public:
    // Reads the password file (if any) now; throws 500 "notices.smtp_misconfigured" for a plaintext URL to a
    // non-loopback server without mail.allow_plaintext, or an unreadable password file.
    SmtpMailer(const core::MailConfig& config, const std::string& home);
    void send(const OutgoingMail& mail) override;

private:
    const core::MailConfig& m_config;
    std::string m_ca_file;
    core::SecureString m_password;
};

// The RFC 5322 message text (CRLF line ends) as SmtpMailer sends it.
std::string rfc5322_message(const core::MailConfig& config, const OutgoingMail& mail);
// RFC 2047 §4.1 "B" encoded words for a UTF-8 header text; plain ASCII is returned as it is. Each encoded word is at
// most 75 characters (§2) and never splits a UTF-8 character (§5).
std::string encode_header_text(const std::string& utf8);
// "Mon, 07 Dec 2026 10:30:00 +0000" (RFC 5322 §3.3).
std::string rfc5322_date(std::int64_t unix_seconds);
// An addr-spec safe to put into a header and an SMTP command (no CR, LF, <, >, spaces; one @).
bool plausible_address(const std::string& address);

}  // namespace yq::notices
