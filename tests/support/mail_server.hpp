#pragma once
// A real SMTP server for the notice tests (#16): Debian's aiosmtpd (`python3 -m aiosmtpd`) on a loopback port, storing
// what it receives in a Maildir. The mails are read back with Python's standard `email` package — an outside reader
// of our RFC 5322 / 2045 / 2047 encoding, not our own decoder.
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "support/fixtures.hpp"

namespace yq::test {

struct ReceivedMail {
    std::string to;          // the envelope recipient (X-RcptTo)
    std::string from;        // the From: header, decoded
    std::string to_header;   // the To: header, decoded
    std::string subject;     // decoded
    std::string body;        // decoded text
    std::string message_id;
    std::string date;
    std::string content_type;
    bool date_parses = false;  // email.utils.parsedate_to_datetime accepted the Date header
};

class MailServer {
public:
    MailServer();  // started
    ~MailServer();
    MailServer(const MailServer&) = delete;
    MailServer& operator=(const MailServer&) = delete;

    int port() const { return m_port; }
    std::string url() const { return "smtp://127.0.0.1:" + std::to_string(m_port); }
    void start();  // on the same port
    void stop();   // the mail server is down: connections are refused
    // Every mail received so far, oldest first.
    std::vector<ReceivedMail> mails() const;
    // Waits up to `seconds` until at least `count` mails arrived (to the envelope recipient `to`, when given); returns
    // what arrived (to `to`).
    std::vector<ReceivedMail> wait_for(std::size_t count, int seconds = 30, const std::string& to = "") const;

private:
    TempDir m_dir;
    int m_port = 0;
    int m_pid = -1;
};

}  // namespace yq::test
