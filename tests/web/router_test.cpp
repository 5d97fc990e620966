#include <gtest/gtest.h>

#include "core/error.hpp"
#include "web/router.hpp"

using namespace yq;

TEST(Router, ExactBeatsPrefixAndTellsMethodMismatchFromMissingPath) {
    web::Router r;
    auto h = [](const web::Request&) { return web::Response{}; };
    r.add("GET", "/ocsp/*", h, web::Execution::Inline, "ocsp-get");
    r.add("POST", "/ocsp", h, web::Execution::Inline, "ocsp-post");
    r.add("GET", "/repo/root.crt", h, web::Execution::Inline, "root");
    bool exists = false;
    ASSERT_NE(r.match("GET", "/ocsp/MEIwQDA", exists), nullptr);
    EXPECT_EQ(r.match("GET", "/ocsp/MEIwQDA", exists)->name, "ocsp-get");
    EXPECT_EQ(r.match("POST", "/ocsp", exists)->name, "ocsp-post");
    EXPECT_EQ(r.match("HEAD", "/repo/root.crt", exists)->name, "root");
    EXPECT_EQ(r.match("DELETE", "/repo/root.crt", exists), nullptr);
    EXPECT_TRUE(exists);
    EXPECT_EQ(r.match("GET", "/nothing", exists), nullptr);
    EXPECT_FALSE(exists);
}

TEST(UrlDecode, DecodesEscapesAndRejectsBrokenOnes) {
    EXPECT_EQ(web::url_decode("/ocsp/ab%2Fcd%3D"), "/ocsp/ab/cd=");
    EXPECT_THROW(web::url_decode("/x%2"), Error);
    EXPECT_THROW(web::url_decode("/x%zz"), Error);
}

TEST(Router, NamedSegmentsMatchOneSegmentAndExactRoutesWin) {
    web::Router r;
    auto h = [](const web::Request&) { return web::Response{}; };
    r.add("GET", "/api/v1/applications/{id}", h, web::Execution::Inline, "by-id");
    r.add("GET", "/api/v1/applications/search", h, web::Execution::Inline, "search");
    r.add("POST", "/api/v1/applications/{id}/approve", h, web::Execution::Inline, "approve");
    bool exists = false;
    EXPECT_EQ(r.match("GET", "/api/v1/applications/app_1", exists)->name, "by-id");
    EXPECT_EQ(r.match("GET", "/api/v1/applications/search", exists)->name, "search");
    EXPECT_EQ(r.match("POST", "/api/v1/applications/app_1/approve", exists)->name, "approve");
    EXPECT_EQ(r.match("POST", "/api/v1/applications//approve", exists), nullptr);  // an empty segment is no id
    EXPECT_EQ(r.match("GET", "/api/v1/applications/a/b", exists), nullptr);
    EXPECT_EQ(web::path_parameters("/api/v1/cases/{id}/documents", "/api/v1/cases/agc_9/documents"),
              (std::map<std::string, std::string>{{"id", "agc_9"}}));
}
