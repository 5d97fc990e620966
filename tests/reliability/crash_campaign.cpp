// #17 Crashes: the node is killed (SIGKILL) at a random moment while clients drive one operation — signHash, four-eyes
// approval, certificate issuance, CRL publication — and started again on the same home. After every kill:
// `audit verify` passes, the tables and the audit events agree (reliability/evidence_check), and what clients were
// told before the kill is still true (a signature they received is on record, a PIN letter they received opens its
// account, a certificate they received has its row); nothing was spent twice.
// Rounds per test: reliability/campaign.hpp.
#include <gtest/gtest.h>
#include <sys/wait.h>

#include <atomic>
#include <chrono>
#include <cstdlib>
#include <fstream>
#include <functional>
#include <mutex>
#include <nlohmann/json.hpp>
#include <random>
#include <regex>
#include <thread>

#include "core/bytes.hpp"
#include "reliability/campaign.hpp"
#include "reliability/evidence_check.hpp"
#include "support/fixtures.hpp"
#include "support/http_client.hpp"
#include "support/office_api.hpp"

using namespace yq;
using namespace yq::test::office;
using test::DbKind;
using json = nlohmann::json;

namespace {

using namespace test::reliability;  // the campaign's helpers (campaign.hpp)

// Runs `clients` threads of `work(client, port, done)` and kills the node once they have completed a random number of
// operations in [0, most_done] (`done` counts them) plus a random part of one operation's time, so that the kill falls
// inside an operation, not between rounds. `work` returns true when the node died under its request. Returns how many
// clients had a request cut off.
int kill_during(test::ServerProcess& node, int clients, int most_done, int first_op_ms,
                const std::function<bool(int client, int port, std::atomic<int>& done)>& work) {
    auto& rng = random_source();
    const int target = std::uniform_int_distribution<int>(0, most_done)(rng);
    const int port = node.port();
    std::atomic<int> done{0}, finished{0}, cut{0};
    std::vector<std::thread> threads;
    const auto started = std::chrono::steady_clock::now();
    for (int i = 0; i < clients; ++i)
        threads.emplace_back([&, i] {
            if (work(i, port, done)) ++cut;
            ++finished;
        });
    while (done.load() < target && finished.load() < clients) std::this_thread::sleep_for(std::chrono::microseconds(200));
    const auto elapsed_us = std::chrono::duration_cast<std::chrono::microseconds>(std::chrono::steady_clock::now() - started);
    const long per_op_us = done.load() > 0 ? static_cast<long>(elapsed_us.count()) * clients / done.load() : first_op_ms * 1000L;
    std::this_thread::sleep_for(std::chrono::microseconds(std::uniform_int_distribution<long>(0, per_op_us)(rng)));
    node.crash();
    for (auto& t : threads) t.join();
    return cut.load();
}

// What is checked after every restart, whatever the operation: the audit chain, and the tables against the events.
// Counts the operations the kills cut between their audit event before the HSM and the one after it.
class CrashCampaign : public ::testing::TestWithParam<DbKind> {
protected:
    int m_kills_cutting = 0, m_cut_at_hsm = 0, m_answered = 0;
    std::chrono::steady_clock::time_point m_started = std::chrono::steady_clock::now();

    void check_after_restart(test::ServerProcess& node, int round) {
        auto verified = node.cli("audit verify");
        EXPECT_EQ(verified.exit_code, 0) << "round " << round << ": " << verified.output;
        auto db = node.open_database();
        auto evidence = test::reliability::check_evidence(*db);
        for (const auto& p : evidence.problems) ADD_FAILURE() << "round " << round << ": " << p;
        m_cut_at_hsm = evidence.certificate_signings_unfinished + evidence.sad_consumptions_unfinished +
                       evidence.crl_signings_unfinished;  // the whole database's count, so the campaign's
    }
    void figure(const std::string& operation) {
        double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - m_started).count();
        report(operation + " | " + (GetParam() == DbKind::Sqlite ? "SQLite" : "PostgreSQL") + " | " +
               std::to_string(rounds()) + " | " + std::to_string(m_kills_cutting) + " | " + std::to_string(m_cut_at_hsm) +
               " | " + std::to_string(m_answered) + " | " + std::to_string(static_cast<int>(seconds)) + " s | " +
               (::testing::Test::HasFailure() ? "FAILED" : "none"));
    }
};

std::string random_hash() { return core::base64_encode(core::random_bytes(32)); }

// signHash: every signature a client received is on record under its SAD, and no SAD signs more than it granted,
// counting what it still signs after the restart.
TEST_P(CrashCampaign, KillDuringSignHashSpendsNoSadTwice) {
    test::TempDir work;
    test::ServerProcess node({GetParam(), R"({"accounts": {"otp_required": false}})", false});
    constexpr int kSigners = 4, kPerSad = 3;
    std::vector<Signer> signers;
    for (int i = 0; i < kSigners; ++i) {
        auto a = test::create_account(node, work, "crash.signer" + std::to_string(i));
        signers.push_back({a.username, csc_login(Api{node.port()}, a.username, "login-password-1"), a.credential,
                           "signing-password-1"});
    }
    struct Sad {
        int signer = 0;
        std::string token;
        std::vector<std::string> bound;          // base64, as sent
        std::vector<std::string> signed_hashes;  // lower-case hex
    };
    auto sign = [&](int port, const Sad& s, const std::string& hash_b64) {
        return sign_hash(port, signers[s.signer], s.token, hash_b64);
    };
    for (int round = 0; round < rounds(); ++round) {
        std::mutex m;
        std::vector<Sad> sads;
        m_kills_cutting += kill_during(node, kSigners, 200, 20, [&](int client, int port, std::atomic<int>& done) {
            for (;;) {
                std::vector<std::string> hashes;  // SCAL 2 (CSC §8.3.2): the SAD is bound to the hashes it signs
                for (int i = 0; i < kPerSad; ++i) hashes.push_back(random_hash());
                auto a = authorize_hashes(port, signers[client], hashes);
                if (a.status == 0) return true;
                EXPECT_EQ(a.status, 200) << a.body;
                if (a.status != 200) return false;
                Sad s{client, a.body.value("SAD", ""), hashes, {}};
                for (const auto& hash : hashes) {
                    auto r = sign(port, s, hash);
                    if (r.status == 0) break;
                    EXPECT_EQ(r.status, 200) << r.body;
                    if (r.status != 200) break;
                    s.signed_hashes.push_back(core::hex_encode(core::base64_decode(hash)));
                    ++done;
                }
                std::lock_guard lock(m);
                sads.push_back(std::move(s));
                if (sads.back().signed_hashes.size() < kPerSad) return !::testing::Test::HasFailure();
            }
        });
        for (const auto& s : sads) m_answered += static_cast<int>(s.signed_hashes.size());
        node.restart();
        auto db = node.open_database();
        auto evidence = test::reliability::check_evidence(*db);
        // every signature a client holds is on record: its hash consumed under a SAD that created as many
        std::map<std::string, int> held_per_sad;
        for (const auto& s : sads)
            for (const auto& h : s.signed_hashes) {
                auto sad = evidence.sad_of_hash.find(h);
                if (sad == evidence.sad_of_hash.end()) {
                    ADD_FAILURE() << "round " << round << ": a signature the client received is not on record";
                    continue;
                }
                ++held_per_sad[sad->second];
            }
        for (const auto& [sad, held] : held_per_sad)
            EXPECT_LE(held, evidence.created_per_sad[sad]) << "round " << round << ": SAD " << sad;
        // the SADs live on across the restart: each bound hash signs at most once, before the crash or after it
        for (const auto& s : sads)
            for (const auto& hash : s.bound) {
                bool before = std::count(s.signed_hashes.begin(), s.signed_hashes.end(),
                                         core::hex_encode(core::base64_decode(hash))) > 0;
                auto again = sign(node.port(), s, hash);
                if (before) {
                    EXPECT_EQ(again.status, 400) << "round " << round << ": a hash signed twice: " << again.body;
                }
            }
        check_after_restart(node, round);
        if (::testing::Test::HasFailure()) break;
    }
    figure("signHash");
}

// The office's staff and agency that the approval and issuance campaigns work under.
struct Office {
    Staff officer, supervisor;
    RegisteredAgency agency;
    int next_user = 0;

    explicit Office(const test::ServerProcess& node) {
        Api api{node.port()};
        officer = sign_in_staff(node, api, "crash.officer", "officer");
        supervisor = sign_in_staff(node, api, "crash.supervisor", "supervisor");
        agency = register_agency(api, officer, supervisor);
    }
    // Applications filed, signed off, documents checked and ID sighted by the officer; approval is the supervisor's.
    std::vector<std::string> ready_applications(int port, int count) {
        std::vector<std::string> ids;
        for (int i = 0; i < count; ++i, ++next_user) {
            char id_number[16];
            std::snprintf(id_number, sizeof id_number, "5%06d(1)", next_user);
            ids.push_back(ready_application(Api{port}, officer, agency, "crash.user" + std::to_string(next_user), id_number));
        }
        return ids;
    }
};

std::string application_status(test::ServerProcess& node, const std::string& id) {
    std::string status;
    node.open_database()->with_connection([&](storage::Connection& c) {
        if (auto r = c.query_one("SELECT status FROM ra_records WHERE id = $1", {id})) status = r->text(0);
    });
    return status;
}

// Four-eyes approval: an approval a supervisor was told of stands after the crash and its PIN letter opens the
// account; an approval the crash cut off can be made again, once.
TEST_P(CrashCampaign, KillDuringApprovalKeepsEveryPinLetterGood) {
    test::ServerProcess node({GetParam(), office_config(), false});
    Office office(node);
    constexpr int kClients = 4, kPerRound = 8;
    for (int round = 0; round < rounds(); ++round) {
        auto ids = office.ready_applications(node.port(), kPerRound);
        std::mutex m;
        std::map<std::string, json> letters;  // application id → the PIN letter the supervisor received
        std::atomic<int> next{0};
        m_kills_cutting += kill_during(node, kClients, kPerRound - kClients, 20, [&](int, int port, std::atomic<int>& done) {
            for (int i; (i = next++) < kPerRound;) {
                auto r = call(port, "POST", "/api/v1/applications/" + ids[i] + "/approve", office.supervisor.token);
                if (r.status == 0) return true;
                EXPECT_EQ(r.status, 200) << r.body;
                std::lock_guard lock(m);
                letters[ids[i]] = r.body["pin_letter"];
                ++done;
            }
            return false;
        });
        m_answered += static_cast<int>(letters.size());
        node.restart();
        for (const auto& id : ids) {
            auto letter = letters.find(id);
            std::string status = application_status(node, id);
            if (letter != letters.end()) {
                EXPECT_EQ(status, "approved") << "round " << round << ": the supervisor was told " << id << " is approved";
                auto login = test::http_request(
                    "POST", node.port(), "/csc/v2/auth/login", "", "", "", "127.0.0.1",
                    {{"Authorization", "Basic " + core::base64_encode(core::to_bytes(
                                                      letter->second.value("username", "") + ":" +
                                                      letter->second.value("initial_login_password", "")))}});
                EXPECT_EQ(login.status, 200) << "round " << round << ": the PIN letter of " << id << " does not open it";
            }
            auto again = call(node.port(), "POST", "/api/v1/applications/" + id + "/approve", office.supervisor.token);
            if (status == "approved") {
                EXPECT_EQ(again.status, 409) << "round " << round << ": approved twice: " << again.body;
            } else {
                EXPECT_EQ(again.status, 200) << "round " << round << ": cut-off approval not repeatable: " << again.body;
            }
        }
        check_after_restart(node, round);
        if (::testing::Test::HasFailure()) break;
    }
    figure("four-eyes approval");
}

// Issuance (the first signing key: a key in the HSM and its certificate from the CA): a certificate a user was told
// of has its row and its credential; a key the crash cut off can be made again; no certificate stays valid for a key
// nobody holds (the evidence check).
TEST_P(CrashCampaign, KillDuringIssuanceLeavesNoCertificateWithoutItsKey) {
    test::ServerProcess node({GetParam(), office_config(), false});
    Office office(node);
    constexpr int kClients = 4, kPerRound = 6;
    for (int round = 0; round < rounds(); ++round) {
        struct User {
            std::string username, token, serial;
        };
        std::vector<User> users;
        for (const auto& id : office.ready_applications(node.port(), kPerRound)) {
            auto approved = Api{node.port()}.call("POST", "/api/v1/applications/" + id + "/approve", office.supervisor.token);
            ASSERT_EQ(approved.status, 200) << approved.body;
            const json& pin = approved.body["pin_letter"];
            users.push_back({pin.value("username", ""),
                             csc_login(Api{node.port()}, pin.value("username", ""), pin.value("initial_login_password", "")),
                             ""});
        }
        std::atomic<int> next{0};
        auto make_key = [&](int port, const User& u) {
            return call(port, "POST", "/api/v1/me/signing-key", u.token, {{"signing_password", u.username + "-own-secret-1"}});
        };
        m_kills_cutting += kill_during(node, kClients, kPerRound - kClients, 30, [&](int, int port, std::atomic<int>& done) {
            for (int i; (i = next++) < kPerRound;) {
                auto r = make_key(port, users[i]);
                if (r.status == 0) return true;
                EXPECT_EQ(r.status, 201) << r.body;
                users[i].serial = r.body.value("certificate_serial", "");
                ++done;
            }
            return false;
        });
        node.restart();
        auto db = node.open_database();
        for (auto& u : users) {
            if (!u.serial.empty()) {
                ++m_answered;
                std::string held;
                db->with_connection([&](storage::Connection& c) {
                    auto r = c.query_one("SELECT c.status FROM credentials cr JOIN certificates c ON c.serial = "
                                         "cr.certificate_serial WHERE cr.certificate_serial = $1",
                                         {u.serial});
                    if (r) held = r->text(0);
                });
                EXPECT_EQ(held, "valid") << "round " << round << ": the certificate " << u.serial << " " << u.username
                                         << " received is not held by a credential";
            }
            auto again = make_key(node.port(), u);
            if (u.serial.empty()) {
                // cut off before its commit: made now; after it: the key exists and the user sees it in the portal
                if (again.status == 409) {
                    EXPECT_EQ(again.body.value("error", ""), "accounts.signing_key_exists") << again.body;
                    auto me = call(node.port(), "GET", "/api/v1/me", u.token);
                    EXPECT_EQ(me.body["credentials"].size(), 1u) << "round " << round << ": " << me.body;
                } else {
                    EXPECT_EQ(again.status, 201) << "round " << round << ": cut-off key not repeatable: " << again.body;
                }
            } else {
                EXPECT_EQ(again.status, 409) << "round " << round << ": a second first key: " << again.body;
            }
        }
        check_after_restart(node, round);
        if (::testing::Test::HasFailure()) break;
    }
    figure("issuance (first signing key)");
}

// CRL publication (the CA's HSM signature over the revocation list): a CRL number the office was shown has its row;
// the next CRL after the restart has a higher number and verifies under the issuing CA.
TEST_P(CrashCampaign, KillDuringCrlPublicationKeepsNumbersRising) {
    test::TempDir work;
    test::ServerProcess node({GetParam(), office_config(), false});
    Api api{node.port()};
    Staff admin = sign_in_staff(node, api, "crash.admin", "ca_admin");
    constexpr int kClients = 2;
    std::int64_t highest_shown = 0;
    for (int round = 0; round < rounds(); ++round) {
        // a browser session with the office pages: the staff cookie and a CSRF token
        auto page = test::http_request("GET", node.port(), "/office/unlock", "", "", "", "127.0.0.1",
                                       {{"Cookie", "yq_staff=" + admin.token}});
        std::smatch m;
        std::string set_cookie = page.headers["set-cookie"];
        ASSERT_TRUE(std::regex_search(set_cookie, m, std::regex("yq_csrf=([0-9a-f]{64})"))) << page.status;
        const std::string csrf = m[1].str(), cookies = "yq_staff=" + admin.token + "; yq_csrf=" + csrf;
        std::mutex mu;
        std::vector<std::int64_t> shown;
        m_kills_cutting += kill_during(node, kClients, 100, 5, [&](int, int port, std::atomic<int>& done) {
            for (;;) {
                test::HttpResult r;
                try {
                    r = test::http_request("POST", port, "/office/ca/crl", "csrf=" + csrf,
                                           "application/x-www-form-urlencoded", "", "127.0.0.1", {{"Cookie", cookies}});
                } catch (const std::exception&) {
                    return true;
                }
                EXPECT_EQ(r.status, 303) << r.body;
                if (r.status != 303) return false;
                std::string location = r.headers["location"];
                std::lock_guard lock(mu);
                shown.push_back(std::stoll(location.substr(location.find("published=") + 10)));
                ++done;
            }
        });
        m_answered += static_cast<int>(shown.size());
        node.restart();
        auto db = node.open_database();
        for (std::int64_t n : shown) {
            bool stored = false;
            db->with_connection([&](storage::Connection& c) { stored = c.query_one("SELECT 1 FROM crls WHERE number = $1", {n}).has_value(); });
            EXPECT_TRUE(stored) << "round " << round << ": CRL " << n << " was shown published but is not stored";
            highest_shown = std::max(highest_shown, n);
        }
        check_after_restart(node, round);
        if (::testing::Test::HasFailure()) break;
    }
    // the CRL published after the last restart: a higher number than any shown, signed by the issuing CA
    auto published = node.cli("ca crl");
    ASSERT_EQ(published.exit_code, 0) << published.output;
    auto crl = test::http_request("GET", node.port(), "/repo/issuing.crl");
    ASSERT_EQ(crl.status, 200);
    test::write_file(work.file("issuing.crl"), crl.body);
    auto verdict = test::run_command("openssl crl -inform DER -in " + work.file("issuing.crl") + " -CAfile " +
                                     node.issuing_pem() + " -noout -crlnumber 2>&1");
    EXPECT_NE(verdict.output.find("verify OK"), std::string::npos) << verdict.output;
    auto number = verdict.output.substr(verdict.output.find("crlNumber=") + 10);
    EXPECT_GT(std::stoll(number.substr(0, number.find_first_of("\n ")), nullptr, 16), highest_shown) << verdict.output;
    figure("CRL publication");
}

INSTANTIATE_TEST_SUITE_P(Backends, CrashCampaign, ::testing::ValuesIn(test::db_kinds()), test::db_kind_name);

}  // namespace
