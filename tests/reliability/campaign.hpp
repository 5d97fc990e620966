#pragma once
// What the #17 campaign tests share: how long they run (YQ_RELIABILITY_ROUNDS, default 2: the smoke in `./yq test`;
// `./yq test --reliability` runs 100), their random source (YQ_RELIABILITY_SEED repeats a run), the figure lines
// they report (printed, and appended to $YQ_RELIABILITY_REPORT for docs/reliability.md), and an HTTP call that tells
// a dead node (status 0) from an answer.
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <random>
#include <string>
#include <vector>

#include "support/office_api.hpp"

namespace yq::test::reliability {

inline int env_int(const char* name, int fallback) {
    const char* v = std::getenv(name);
    return v && *v ? std::atoi(v) : fallback;
}

inline int rounds() { return env_int("YQ_RELIABILITY_ROUNDS", 2); }

inline std::mt19937& random_source() {
    static std::mt19937 rng = [] {
        unsigned seed = static_cast<unsigned>(env_int("YQ_RELIABILITY_SEED", static_cast<int>(std::random_device{}())));
        std::printf("reliability seed %u (YQ_RELIABILITY_SEED repeats it)\n", seed);
        return std::mt19937(seed);
    }();
    return rng;
}

inline void report(const std::string& line) {
    std::printf("FIGURE %s\n", line.c_str());
    if (const char* path = std::getenv("YQ_RELIABILITY_REPORT"); path && *path)
        std::ofstream(path, std::ios::app) << line << "\n";
}

inline office::Reply call(int port, const std::string& method, const std::string& path, const std::string& token,
                          const nlohmann::json& body = nullptr) {
    try {
        return office::Api{port}.call(method, path, token, body);
    } catch (const std::exception&) {
        return {0, nlohmann::json()};
    }
}

// CSC credentials/authorize for SHA-256 `hashes_b64` (SCAL 2: the SAD is bound to them) with the signing password.
inline office::Reply authorize_hashes(int port, const office::Signer& s, const std::vector<std::string>& hashes_b64) {
    return call(port, "POST", "/csc/v2/credentials/authorize", s.csc_token,
                {{"credentialID", s.credential},
                 {"numSignatures", hashes_b64.size()},
                 {"hashes", hashes_b64},
                 {"hashAlgorithmOID", "2.16.840.1.101.3.4.2.1"},
                 {"authData", {{{"id", "PIN"}, {"value", s.signing_password}}}}});
}

// CSC signatures/signHash of one SHA-256 hash with ECDSA P-256 under `sad`.
inline office::Reply sign_hash(int port, const office::Signer& s, const nlohmann::json& sad, const std::string& hash_b64) {
    return call(port, "POST", "/csc/v2/signatures/signHash", s.csc_token,
                {{"credentialID", s.credential},
                 {"SAD", sad},
                 {"hashes", {hash_b64}},
                 {"hashAlgorithmOID", "2.16.840.1.101.3.4.2.1"},
                 {"signAlgo", "1.2.840.10045.4.3.2"}});
}

// Debian's PostgreSQL 15 programs (initdb, pg_ctl, pg_dump, pg_restore).
inline const std::string kPgBin = "/usr/lib/postgresql/15/bin/";

}  // namespace yq::test::reliability
