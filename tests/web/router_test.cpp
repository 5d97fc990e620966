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
