#pragma once
// What the benchmarks against the real server share: signers made through its CLI (key and certificate at once), their
// CSC access token and a SAD good for many signatures, and the percentile of a latency sample.
#include <algorithm>
#include <stdexcept>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "support/fixtures.hpp"
#include "support/http_client.hpp"
#include "support/office_api.hpp"

namespace yq::bench {

inline constexpr const char* kLoginPassword = "login-password-1";
inline constexpr const char* kSigningPassword = "signing-password-1";

struct ServerSigner {
    std::string username, credential, token;
};

// `account create` with the given key type, then CSC auth/login. Throws std::runtime_error with the CLI's output.
inline ServerSigner make_server_signer(const test::ServerProcess& server, const test::TempDir& work,
                                       const std::string& user, const std::string& key = "ec-p256") {
    test::write_file(work.file(user), std::string(kLoginPassword) + "\n" + kSigningPassword + "\n");
    auto r = server.cli("account create --username " + user + " --name Bench --agency Bench --key " + key + " < " +
                        work.file(user));
    if (r.exit_code != 0) throw std::runtime_error(r.output);
    auto c = r.output.find("credential ");
    ServerSigner s{user, r.output.substr(c + 11, r.output.find(',', c) - c - 11), ""};
    s.token = test::office::csc_login(test::office::Api{server.port()}, user, kLoginPassword);
    return s;
}

// The body of credentials/authorize for `count` signatures with the signing password.
inline nlohmann::json authorize_body(const ServerSigner& s, int count) {
    return {{"credentialID", s.credential},
            {"numSignatures", count},
            {"authData", nlohmann::json::array({{{"id", "PIN"}, {"value", kSigningPassword}}})}};
}

// A SAD for `count` signatures; throws std::runtime_error when the server refuses.
inline std::string authorize_sad(int port, const ServerSigner& s, int count) {
    auto a = test::http_request("POST", port, "/csc/v2/credentials/authorize", authorize_body(s, count).dump(),
                                "application/json", "", "127.0.0.1", {{"Authorization", "Bearer " + s.token}});
    if (a.status != 200) throw std::runtime_error("authorize failed: " + a.body);
    return nlohmann::json::parse(a.body)["SAD"];
}

// The value below which a share `p` (0–1) of the sample lies.
inline double percentile(std::vector<double> v, double p) {
    if (v.empty()) return 0;
    std::sort(v.begin(), v.end());
    return v[std::min(v.size() - 1, static_cast<std::size_t>(p * static_cast<double>(v.size())))];
}

}  // namespace yq::bench
