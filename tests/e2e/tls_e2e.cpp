// TLS on the listener, and the refusal to serve plaintext on a non-loopback address.
#include <gtest/gtest.h>

#include "support/fixtures.hpp"
#include "support/http_client.hpp"

using namespace yq;
using test::run_command;

namespace {

// A throwaway TLS CA and a server certificate for localhost/127.0.0.1, made by the openssl command line.
struct TlsMaterial {
    test::TempDir dir;
    std::string ca, cert, key;
    TlsMaterial() {
        ca = dir.file("ca.pem");
        cert = dir.file("server.pem");
        key = dir.file("server.key");
        std::string ca_key = dir.file("ca.key"), csr = dir.file("server.csr"), ext = dir.file("ext.cnf");
        test::write_file(ext, "subjectAltName=DNS:localhost,IP:127.0.0.1\nextendedKeyUsage=serverAuth\n");
        auto r = run_command("openssl req -x509 -nodes -newkey ec -pkeyopt ec_paramgen_curve:P-256 -keyout " + ca_key +
                             " -out " + ca + " -subj /CN=test-tls-ca -days 2 && "
                             "openssl req -new -nodes -newkey ec -pkeyopt ec_paramgen_curve:P-256 -keyout " + key +
                             " -out " + csr + " -subj /CN=localhost && "
                             "openssl x509 -req -in " + csr + " -CA " + ca + " -CAkey " + ca_key +
                             " -CAcreateserial -days 2 -extfile " + ext + " -out " + cert);
        EXPECT_EQ(r.exit_code, 0) << r.output;
    }
};

// Runs a second `yunqian serve` from the same home for at most three seconds.
test::CommandResult serve_briefly(const test::ServerProcess& server, const std::string& listen) {
    return run_command("timeout 3 " + test::shell_quote(test::yunqian_binary()) + " --home " +
                       test::shell_quote(server.home()) + " serve --listen " + listen);
}

}  // namespace

TEST(Tls, ServesRepositoryOverHttpsWithTheConfiguredCertificate) {
    TlsMaterial tls;
    test::ServerProcess server(test::ServerProcess::Options{
        test::DbKind::Sqlite, R"({"server": {"listener": {"tls_certificate": ")" + tls.cert +
                                  R"(", "tls_private_key": ")" + tls.key + R"("}}})"});
    auto r = test::http_request("GET", server.port(), "/repo/root.crt", "", "", tls.ca, "localhost");
    EXPECT_EQ(r.status, 200);
    EXPECT_EQ(r.headers["content-type"], "application/pkix-cert");
    EXPECT_EQ(r.headers["strict-transport-security"], "max-age=31536000");
    // openssl s_client agrees: the chain verifies and TLS 1.0 is refused
    auto s = run_command("echo | openssl s_client -connect 127.0.0.1:" + std::to_string(server.port()) +
                         " -CAfile " + tls.ca + " -verify_return_error -brief 2>&1");
    EXPECT_NE(s.output.find("Verification: OK"), std::string::npos) << s.output;
    auto old = run_command("echo | openssl s_client -connect 127.0.0.1:" + std::to_string(server.port()) +
                           " -tls1 2>&1");
    EXPECT_NE(old.output.find("alert protocol version"), std::string::npos) << old.output;
    EXPECT_NE(old.output.find("no peer certificate available"), std::string::npos) << old.output;
    // plaintext HTTP on the TLS port gets no HTTP answer
    EXPECT_ANY_THROW(test::http_request("GET", server.port(), "/repo/root.crt"));
}

TEST(Tls, RefusesPlaintextOnNonLoopbackAddressUnlessAllowed) {
    test::ServerProcess server;  // a normal, initialised home to run `serve` from
    auto refused = serve_briefly(server, "0.0.0.0:0");
    EXPECT_EQ(refused.exit_code, 1) << refused.output;
    EXPECT_NE(refused.output.find("config.insecure_listener"), std::string::npos) << refused.output;
    EXPECT_EQ(refused.output.find("serving on"), std::string::npos) << refused.output;
}

TEST(Tls, PlaintextNonLoopbackIsAllowedOnlyWhenConfigSaysSo) {
    test::ServerProcess server(test::ServerProcess::Options{
        test::DbKind::Sqlite, R"({"server": {"listener": {"allow_plaintext_non_loopback": true}}})"});
    auto started = serve_briefly(server, "0.0.0.0:0");
    EXPECT_EQ(started.exit_code, 124) << started.output;  // still serving when timeout stopped it
    EXPECT_NE(started.output.find("serving on http://0.0.0.0:"), std::string::npos) << started.output;
}
