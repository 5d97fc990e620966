#include "support/mail_server.hpp"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <chrono>
#include <fstream>
#include <stdexcept>
#include <thread>

namespace yq::test {

namespace {

bool accepting(int port) {
    int fd = socket(AF_INET, SOCK_STREAM, 0);
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_port = htons(static_cast<std::uint16_t>(port));
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    bool ok = connect(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) == 0;
    close(fd);
    return ok;
}

// Python's email package decodes each stored message; one JSON object per mail.
const char* kReader = R"PY(
import email, email.policy, email.utils, json, os, sys
box = os.path.join(sys.argv[1], "new")
out = []
names = sorted(os.listdir(box), key=lambda n: os.stat(os.path.join(box, n)).st_mtime_ns) if os.path.isdir(box) else []
for name in names:
    with open(os.path.join(box, name), "rb") as f:
        m = email.message_from_binary_file(f, policy=email.policy.default)
    try:
        email.utils.parsedate_to_datetime(m["Date"]); date_ok = True
    except Exception:
        date_ok = False
    out.append({"to": str(m.get("X-RcptTo", "")), "from": str(m.get("From", "")), "to_header": str(m.get("To", "")),
                "subject": str(m.get("Subject", "")), "body": m.get_content() if not m.is_multipart() else "",
                "message_id": str(m.get("Message-ID", "")), "date": str(m.get("Date", "")),
                "content_type": m.get_content_type() + "; charset=" + str(m.get_content_charset()),
                "date_parses": date_ok})
print(json.dumps(out))
)PY";

}  // namespace

MailServer::MailServer() : m_port(free_port()) {
    write_file(m_dir.file("read_mail.py"), kReader);
    start();
}

MailServer::~MailServer() { stop(); }

void MailServer::start() {
    if (m_pid > 0) return;
    const std::string listen = "127.0.0.1:" + std::to_string(m_port);
    const std::string box = m_dir.file("maildir");
    const std::string log = m_dir.file("aiosmtpd.log");
    m_pid = fork();
    if (m_pid == 0) {
        FILE* f = freopen(log.c_str(), "a", stderr);
        (void)f;
        execl("/usr/bin/python3", "python3", "-m", "aiosmtpd", "-n", "-l", listen.c_str(), "-c",
              "aiosmtpd.handlers.Mailbox", box.c_str(), nullptr);
        _exit(127);
    }
    for (int i = 0; i < 100 && !accepting(m_port); ++i) std::this_thread::sleep_for(std::chrono::milliseconds(100));
    if (!accepting(m_port)) throw std::runtime_error("aiosmtpd did not start: " + read_file(log));
}

void MailServer::stop() {
    stop_process(m_pid);
    m_pid = -1;
}

std::vector<ReceivedMail> MailServer::mails() const {
    CommandResult r = run_command("/usr/bin/python3 " + shell_quote(m_dir.file("read_mail.py")) + " " +
                                  shell_quote(m_dir.file("maildir")) + " 2>&1");
    if (r.exit_code != 0) throw std::runtime_error("reading the maildir failed: " + r.output);
    std::vector<ReceivedMail> out;
    for (const auto& m : nlohmann::json::parse(r.output)) {
        out.push_back(ReceivedMail{m["to"], m["from"], m["to_header"], m["subject"], m["body"], m["message_id"],
                                   m["date"], m["content_type"], m["date_parses"]});
    }
    return out;
}

std::vector<ReceivedMail> MailServer::wait_for(std::size_t count, int seconds, const std::string& to) const {
    auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(seconds);
    auto received = [&] {
        std::vector<ReceivedMail> got = mails();
        if (!to.empty()) std::erase_if(got, [&](const ReceivedMail& m) { return m.to != to; });
        return got;
    };
    std::vector<ReceivedMail> got = received();
    while (got.size() < count && std::chrono::steady_clock::now() < deadline) {
        std::this_thread::sleep_for(std::chrono::milliseconds(250));
        got = received();
    }
    return got;
}

}  // namespace yq::test
