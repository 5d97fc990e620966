// docs/openapi.yaml (served at /api/openapi.yaml) documents every /api route the handlers register, with its method,
// and nothing that is not served.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <regex>
#include <set>
#include <sstream>

#include "web/handlers/public/ops_routes.hpp"

namespace {

using RouteSet = std::set<std::pair<std::string, std::string>>;  // (method, path)

RouteSet registered_in_sources() {
    RouteSet out;
    const std::regex route(R"re("(GET|POST|DELETE|PUT)",\s*"(/api/[^"]+)")re");
    for (const auto& f : std::filesystem::recursive_directory_iterator(std::string(YQ_SOURCE_DIR) + "/src/web/handlers")) {
        if (!f.is_regular_file()) continue;
        std::ifstream in(f.path());
        std::stringstream ss;
        ss << in.rdbuf();
        std::string text = ss.str();
        for (std::sregex_iterator it(text.begin(), text.end(), route), end; it != end; ++it)
            out.insert({(*it)[1].str(), (*it)[2].str()});
    }
    return out;
}

// paths: → "  /path:" then "    method:" lines.
RouteSet documented(const std::string& yaml) {
    RouteSet out;
    std::istringstream in(yaml);
    std::string line, path;
    bool in_paths = false;
    while (std::getline(in, line)) {
        if (line == "paths:") {
            in_paths = true;
            continue;
        }
        if (!in_paths) continue;
        if (line.rfind("  /", 0) == 0 && line.back() == ':') {
            path = line.substr(2, line.size() - 3);
        } else if (line.size() > 5 && line.rfind("    ", 0) == 0 && line[4] != ' ' && line.back() == ':') {
            std::string method = line.substr(4, line.size() - 5);
            for (char& c : method) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
            if (method == "GET" || method == "POST" || method == "DELETE" || method == "PUT") out.insert({method, path});
        }
    }
    return out;
}

}  // namespace

TEST(OpenApi, DocumentsExactlyTheRoutesTheHandlersRegister) {
    RouteSet code = registered_in_sources();
    code.erase({"GET", "/api/openapi.yaml"});  // the document itself
    RouteSet docs = documented(yq::web::openapi_yaml());
    ASSERT_GT(code.size(), 40u);
    for (const auto& r : code) EXPECT_TRUE(docs.count(r)) << "not documented: " << r.first << " " << r.second;
    for (const auto& r : docs) EXPECT_TRUE(code.count(r)) << "documented but not served: " << r.first << " " << r.second;
}
