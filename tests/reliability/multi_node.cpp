// #17 Several nodes: three `yunqian serve` processes on one PostgreSQL, sharing one SoftHSM token directory (as a
// network HSM would be shared), behind HAProxy (round-robin), under a background mix of OCSP, CSC signing and
// registration-office reads through the proxy. What must hold across nodes:
//   - 64 concurrent wrong signing passwords, spread over the three nodes, lock the account at exactly 5 failures;
//   - a SAD for N hashes signs exactly N times however many clients on however many nodes try;
//   - after a revocation, every node answers OCSP "revoked" within the documented bound.
// PostgreSQL only (skipped without YQ_PG_DSN). Repetitions: max(1, rounds / 10) (reliability/campaign.hpp).
#include <gtest/gtest.h>
#include <openssl/ocsp.h>
#include <openssl/x509.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <nlohmann/json.hpp>
#include <map>
#include <mutex>
#include <thread>

#include "core/bytes.hpp"
#include "reliability/campaign.hpp"
#include "support/fixtures.hpp"
#include "support/http_client.hpp"
#include "support/office_api.hpp"

using namespace yq;
using namespace yq::test::office;
using json = nlohmann::json;

namespace {

using namespace test::reliability;  // the campaign's helpers (campaign.hpp)

constexpr int kOcspPollMs = 100;  // ServerProcess's ocsp.status_poll_ms

// HAProxy from Debian in the foreground with its own configuration: round-robin over the nodes, per request.
class Haproxy {
public:
    Haproxy(const test::TempDir& work, const std::vector<int>& node_ports) : m_port(test::free_port()) {
        std::string config = "global\n  maxconn 4096\ndefaults\n  mode http\n  option http-server-close\n"
                             "  timeout connect 5s\n  timeout client 60s\n  timeout server 60s\n"
                             "frontend yunqian\n  bind 127.0.0.1:" + std::to_string(m_port) +
                             "\n  default_backend nodes\nbackend nodes\n  balance roundrobin\n";
        for (std::size_t i = 0; i < node_ports.size(); ++i)
            config += "  server node" + std::to_string(i) + " 127.0.0.1:" + std::to_string(node_ports[i]) + "\n";
        const std::string path = work.file("haproxy.cfg");
        test::write_file(path, config);
        m_pid = fork();
        if (m_pid == 0) {
            execlp("haproxy", "haproxy", "-db", "-q", "-f", path.c_str(), nullptr);
            _exit(127);
        }
        for (int i = 0; i < 100; ++i) {
            try {
                test::http_request("GET", m_port, "/healthz");
                return;
            } catch (const std::exception&) {
                std::this_thread::sleep_for(std::chrono::milliseconds(50));
            }
        }
        throw std::runtime_error("haproxy did not start (is Debian's haproxy installed? ./yq test installs it)");
    }
    ~Haproxy() {
        kill(m_pid, SIGTERM);
        int status = 0;
        waitpid(m_pid, &status, 0);
    }
    int port() const { return m_port; }

private:
    int m_port = 0;
    int m_pid = -1;
};

// The HTTP requests a node has answered so far, from its own /metrics.
long requests_answered(int node_port) {
    auto metrics = test::http_request("GET", node_port, "/metrics").body;
    long total = 0;
    std::istringstream in(metrics);
    for (std::string line; std::getline(in, line);)
        if (line.rfind("yunqian_http_requests_total{", 0) == 0) total += std::stol(line.substr(line.rfind(' ') + 1));
    return total;
}

// OCSP (RFC 6960) for one certificate: the request, and the status a node answers for it.
struct OcspProbe {
    OCSP_CERTID* id = nullptr;
    std::string request;

    OcspProbe(const core::Bytes& cert_der, const core::Bytes& issuer_der) {
        const unsigned char* p = cert_der.data();
        X509* cert = d2i_X509(nullptr, &p, static_cast<long>(cert_der.size()));
        p = issuer_der.data();
        X509* issuer = d2i_X509(nullptr, &p, static_cast<long>(issuer_der.size()));
        id = OCSP_cert_to_id(nullptr, cert, issuer);
        OCSP_REQUEST* req = OCSP_REQUEST_new();
        OCSP_request_add0_id(req, OCSP_CERTID_dup(id));
        unsigned char* der = nullptr;
        int len = i2d_OCSP_REQUEST(req, &der);
        request.assign(reinterpret_cast<char*>(der), static_cast<std::size_t>(len));
        OPENSSL_free(der);
        OCSP_REQUEST_free(req);
        X509_free(cert);
        X509_free(issuer);
    }
    ~OcspProbe() { OCSP_CERTID_free(id); }
    OcspProbe(const OcspProbe&) = delete;
    OcspProbe& operator=(const OcspProbe&) = delete;

    // V_OCSP_CERTSTATUS_GOOD / _REVOKED / _UNKNOWN, or -1 when there is no usable answer.
    int status_at(int port) const {
        test::HttpResult r;
        try {
            r = test::http_request("POST", port, "/ocsp", request, "application/ocsp-request");
        } catch (const std::exception&) {
            return -1;
        }
        const unsigned char* p = reinterpret_cast<const unsigned char*>(r.body.data());
        OCSP_RESPONSE* response = d2i_OCSP_RESPONSE(nullptr, &p, static_cast<long>(r.body.size()));
        if (response == nullptr) return -1;
        OCSP_BASICRESP* basic = OCSP_response_get1_basic(response);
        int status = -1, reason = 0;
        if (basic == nullptr || OCSP_resp_find_status(basic, id, &status, &reason, nullptr, nullptr, nullptr) != 1)
            status = -1;
        OCSP_BASICRESP_free(basic);
        OCSP_RESPONSE_free(response);
        return status;
    }
};

core::Bytes certificate_of(int port, const std::string& token, const std::string& credential) {
    auto info = Api{port}.call("POST", "/csc/v2/credentials/info", token,
                               {{"credentialID", credential}, {"certificates", "single"}});
    return core::base64_decode(info.body["cert"]["certificates"][0].get<std::string>());
}

class MultiNode : public ::testing::Test {
protected:
    void SetUp() override {
        if (test::db_kinds().size() < 2) GTEST_SKIP() << "several nodes need PostgreSQL (YQ_PG_DSN)";
        node = std::make_unique<test::ServerProcess>(
            test::ServerProcess::Options{test::DbKind::Postgres, office_config(), false});
        ports = {node->port(), node->start_second_node(), node->start_second_node()};
        proxy = std::make_unique<Haproxy>(work, ports);
    }

    // Background load through the proxy until stopped: OCSP, a signer's authorize + signHash, office slot reads.
    struct Load {
        std::atomic<bool> stop{false};
        std::atomic<long> requests{0}, failures{0};
        std::mutex mutex;
        std::vector<std::string> failed;
        std::vector<std::thread> threads;
        ~Load() { end(); }
        void end() {
            stop = true;
            for (auto& t : threads) t.join();
            threads.clear();
        }
    };
    void start_load(Load& load, const OcspProbe& probe, const Signer& s) {
        const int port = proxy->port();
        auto count = [&load](bool ok, const std::string& what) {
            ++load.requests;
            if (ok) return;
            ++load.failures;
            std::lock_guard lock(load.mutex);
            load.failed.push_back(what);
        };
        load.threads.emplace_back([&, port, count] {
            while (!load.stop) {
                int status = probe.status_at(port);
                count(status == V_OCSP_CERTSTATUS_GOOD, "OCSP status " + std::to_string(status));
            }
        });
        load.threads.emplace_back([&, port, count] {
            while (!load.stop) {
                std::string hash = core::base64_encode(core::random_bytes(32));
                auto sad = authorize_hashes(port, s, {hash});
                count(sad.status == 200, "authorize " + std::to_string(sad.status) + " " + sad.body.dump());
                auto sig = sign_hash(port, s, sad.body.value("SAD", ""), hash);
                count(sig.status == 200, "signHash " + std::to_string(sig.status) + " " + sig.body.dump());
            }
        });
        load.threads.emplace_back([&, port, count] {
            while (!load.stop) {
                auto slots = call(port, "GET", "/api/v1/appointments/slots?date=" + today_in_macau(1), "");
                count(slots.status == 200, "slots " + std::to_string(slots.status));
            }
        });
    }
    Signer signer(const std::string& username) {
        auto a = test::create_account(*node, work, username);
        return Signer{a.username, csc_login(Api{proxy->port()}, a.username, "login-password-1"), a.credential,
                      "signing-password-1"};
    }

    test::TempDir work;
    std::unique_ptr<test::ServerProcess> node;
    std::vector<int> ports;
    std::unique_ptr<Haproxy> proxy;
};

TEST_F(MultiNode, ThreeNodesBehindHaproxyLockAtFiveSpendEachSadOnceAndFollowARevocation) {
    const int repetitions = std::max(1, rounds() / 10);
    Signer background = signer("load.signer");
    const std::string issuing_der = test::http_request("GET", ports[0], "/repo/issuing.crt").body;
    const core::Bytes issuing(issuing_der.begin(), issuing_der.end());
    OcspProbe load_probe(certificate_of(ports[0], background.csc_token, background.credential), issuing);
    Load load;
    start_load(load, load_probe, background);
    std::vector<long> before;
    for (int p : ports) before.push_back(requests_answered(p));

    int worst_failures = 0, least_failures = 1000, sad_signatures_max = 0;
    long propagation_worst_ms = 0;
    for (int r = 0; r < repetitions; ++r) {
        // 64 wrong passwords at once, spread over the nodes by the proxy: exactly 5 count, the account locks once
        Signer victim = signer("victim" + std::to_string(r));
        std::atomic<int> ready{0};
        std::vector<std::thread> wrong;
        for (int i = 0; i < 64; ++i)
            wrong.emplace_back([&, i] {
                ++ready;
                while (ready.load() < 64) std::this_thread::yield();
                authorize(Api{proxy->port()}, victim, "wrong-password-" + std::to_string(i), core::base64_encode(core::random_bytes(32)));
            });
        for (auto& t : wrong) t.join();
        int failures = 0, locks = 0;
        node->open_database()->with_connection([&](storage::Connection& c) {
            const std::string object = "account:" + victim.username;
            failures = static_cast<int>(c.query_one("SELECT count(*) FROM audit_events WHERE action = "
                                                    "'account.signing_auth_failed' AND object = $1", {object})->integer(0));
            locks = static_cast<int>(c.query_one("SELECT count(*) FROM audit_events WHERE action = 'account.locked' "
                                                 "AND object = $1", {object})->integer(0));
        });
        EXPECT_EQ(failures, 5) << "wrong passwords counted across the nodes";
        EXPECT_EQ(locks, 1);
        worst_failures = std::max(worst_failures, failures);
        least_failures = std::min(least_failures, failures);
        EXPECT_NE(authorize(Api{proxy->port()}, victim, victim.signing_password, core::base64_encode(core::random_bytes(32))).status, 200)
            << "the right password after the lock";

        // one SAD for 10 bound hashes; 32 clients through the proxy each try all 10: 10 signatures, each hash once
        Signer spender = signer("spender" + std::to_string(r));
        std::vector<std::string> hashes;
        for (int i = 0; i < 10; ++i) hashes.push_back(core::base64_encode(core::random_bytes(32)));
        auto sad = authorize_hashes(proxy->port(), spender, hashes);
        ASSERT_EQ(sad.status, 200) << sad.body;
        std::vector<std::atomic<int>> signed_count(hashes.size());
        std::mutex answers_mutex;
        std::map<std::string, int> answers;  // the refusals, by status and description
        std::vector<std::thread> clients;
        for (int c = 0; c < 32; ++c)
            clients.emplace_back([&, c] {
                std::vector<std::size_t> order(hashes.size());
                for (std::size_t i = 0; i < order.size(); ++i) order[i] = (i + static_cast<std::size_t>(c)) % order.size();
                for (std::size_t i : order) {
                    for (int attempt = 0; attempt < 20; ++attempt) {  // 503 temporarily_unavailable: try again
                        auto res = sign_hash(proxy->port(), spender, sad.body["SAD"], hashes[i]);
                        if (res.status == 200) ++signed_count[i];
                        if (res.status != 200) {
                            std::lock_guard lock(answers_mutex);
                            ++answers[std::to_string(res.status) + " " + res.body.value("error_description", "")];
                        }
                        if (res.status != 503) break;
                    }
                }
            });
        for (auto& t : clients) t.join();
        int total = 0;
        for (std::size_t i = 0; i < hashes.size(); ++i) {
            EXPECT_EQ(signed_count[i].load(), 1) << "hash " << i << " of the SAD; refusals: " << json(answers).dump();
            total += signed_count[i].load();
        }
        sad_signatures_max = std::max(sad_signatures_max, total);

        // revoke with the CLI (a fourth process on the same database); every node answers "revoked" within the bound
        OcspProbe probe(certificate_of(ports[0], spender.csc_token, spender.credential), issuing);
        for (int p : ports) EXPECT_EQ(probe.status_at(p), V_OCSP_CERTSTATUS_GOOD);
        std::string serial;
        node->open_database()->with_connection([&](storage::Connection& c) {
            serial = c.query_one("SELECT certificate_serial FROM credentials WHERE id = $1", {spender.credential})->text(0);
        });
        auto revoked = node->cli("ca revoke --serial " + serial + " --reason keyCompromise");
        ASSERT_EQ(revoked.exit_code, 0) << revoked.output;
        const auto after_revoke = std::chrono::steady_clock::now();
        std::vector<bool> seen(ports.size(), false);
        long slowest = 0;
        while (std::count(seen.begin(), seen.end(), true) < static_cast<long>(ports.size())) {
            long ms = std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now() - after_revoke).count();
            ASSERT_LT(ms, kOcspPollMs + 1000) << "a node still answers the old status";
            for (std::size_t i = 0; i < ports.size(); ++i)
                if (!seen[i] && probe.status_at(ports[i]) == V_OCSP_CERTSTATUS_REVOKED) {
                    seen[i] = true;
                    slowest = std::max(slowest, ms);
                }
            std::this_thread::sleep_for(std::chrono::milliseconds(5));
        }
        propagation_worst_ms = std::max(propagation_worst_ms, slowest);
    }
    load.end();
    if (::testing::Test::HasFailure()) {  // what the nodes logged of the refusals (5xx are logged with their cause)
        std::istringstream log(node->server_log());
        for (std::string line; std::getline(log, line);)
            if (line.find("failed:") != std::string::npos) ADD_FAILURE() << line;
    }
    std::string spread;
    for (std::size_t i = 0; i < ports.size(); ++i) {
        long answered = requests_answered(ports[i]) - before[i];
        EXPECT_GT(answered, 0) << "node " << i << " got no traffic through the proxy";
        spread += (i ? " / " : "") + std::to_string(answered);
    }
    EXPECT_EQ(load.failures.load(), 0) << "background requests failed: " << json(load.failed).dump();
    report("several nodes | PostgreSQL, 3 nodes, HAProxy | " + std::to_string(repetitions) + " | wrong passwords counted of 64: " +
           std::to_string(least_failures) + "–" + std::to_string(worst_failures) + " | SAD for 10 signed by 32 clients: " +
           std::to_string(sad_signatures_max) + " | OCSP revoked on every node after " + std::to_string(propagation_worst_ms) +
           " ms (worst; poll " + std::to_string(kOcspPollMs) + " ms) | background requests " + std::to_string(load.requests.load()) +
           ", failed " + std::to_string(load.failures.load()) + " | requests per node " + spread);
}

}  // namespace
