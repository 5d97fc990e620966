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

}  // namespace yq::test::reliability
