// Form decoding (urlencoded, multipart), cookies, CSRF and the local-path rule of the language switch.
#include <gtest/gtest.h>

#include "core/bytes.hpp"
#include "core/error.hpp"
#include "web/ui/forms.hpp"
#include "web/ui/page_renderer.hpp"

using namespace yq;

TEST(UiFormsTest, UrlencodedFieldsAreDecoded) {
    auto f = web::parse_urlencoded("name=%E9%99%B3+%E5%A4%A7%E6%96%87&contact=a%40b.mo&empty=&flag");
    EXPECT_EQ(f["name"], "陳 大文");
    EXPECT_EQ(f["contact"], "a@b.mo");
    EXPECT_EQ(f["empty"], "");
    EXPECT_TRUE(f.count("flag"));
    EXPECT_THROW(web::parse_urlencoded("bad=%zz"), Error);
    EXPECT_EQ(core::percent_encode("/verify?a=1&b=陳"), "%2Fverify%3Fa%3D1%26b%3D%E9%99%B3");
}

TEST(UiFormsTest, MultipartPartsKeepBinaryFilesIntact) {
    std::string pdf("%PDF-1.7\r\n\0\xff binary\r\n--not-the-boundary\r\n", 40);
    std::string body = "--XyZ\r\nContent-Disposition: form-data; name=\"csrf\"\r\n\r\ntoken\r\n"
                       "--XyZ\r\nContent-Disposition: form-data; name=\"file\"; filename=\"合約.pdf\"\r\n"
                       "Content-Type: application/pdf\r\n\r\n" + pdf + "\r\n--XyZ--\r\n";
    auto parts = web::parse_multipart("multipart/form-data; boundary=XyZ", body);
    ASSERT_EQ(parts.size(), 2u);
    EXPECT_EQ(parts[0].name, "csrf");
    EXPECT_EQ(parts[0].data, "token");
    EXPECT_EQ(parts[1].filename, "合約.pdf");
    EXPECT_EQ(parts[1].content_type, "application/pdf");
    EXPECT_EQ(parts[1].data, pdf);
}

TEST(UiFormsTest, BrokenMultipartIsABadForm) {
    auto code_of = [](const std::string& type, const std::string& body) {
        try {
            web::parse_multipart(type, body);
        } catch (const Error& e) {
            return e.code();
        }
        return std::string("none");
    };
    EXPECT_EQ(code_of("multipart/form-data", "x"), "ui.bad_form");                      // no boundary
    EXPECT_EQ(code_of("multipart/form-data; boundary=B", "no delimiter"), "ui.bad_form");
    EXPECT_EQ(code_of("multipart/form-data; boundary=B", "--B\r\nContent-Disposition: form-data; name=\"a\"\r\n\r\nunterminated"),
              "ui.bad_form");
    EXPECT_EQ(code_of("multipart/form-data; boundary=B", "--B\r\n\r\n\r\nx\r\n--B--"), "ui.bad_form");  // no name
}

TEST(UiFormsTest, CookiesAreFoundByName) {
    web::Request req;
    req.headers["cookie"] = "a=1; yq_csrf=abc;b=2";
    EXPECT_EQ(web::cookie_value(req, "yq_csrf"), "abc");
    EXPECT_EQ(web::cookie_value(req, "b"), "2");
    EXPECT_EQ(web::cookie_value(req, "c"), "");
    EXPECT_EQ(web::set_cookie("yq_lang", "pt", true, 60), "yq_lang=pt; Path=/; HttpOnly; SameSite=Strict; Max-Age=60; Secure");
}

TEST(UiFormsTest, TheFormTokenMustMatchTheCookie) {
    std::string token(64, 'a');
    web::Request req;
    req.headers["cookie"] = "yq_csrf=" + token;
    EXPECT_NO_THROW(web::require_csrf(req, {{"csrf", token}}));
    EXPECT_THROW(web::require_csrf(req, {{"csrf", std::string(64, 'b')}}), Error);
    EXPECT_THROW(web::require_csrf(req, {}), Error);
    web::Request no_cookie;
    EXPECT_THROW(web::require_csrf(no_cookie, {{"csrf", ""}}), Error);
}

TEST(UiFormsTest, OnlyLocalPathsAreRedirectTargets) {
    EXPECT_EQ(web::local_path_or_root("/verify?x=1"), "/verify?x=1");
    EXPECT_EQ(web::local_path_or_root("//evil.example/"), "/");
    EXPECT_EQ(web::local_path_or_root("/\\evil.example"), "/");
    EXPECT_EQ(web::local_path_or_root("https://evil.example"), "/");
    EXPECT_EQ(web::local_path_or_root("/a\r\nSet-Cookie: x"), "/");
    EXPECT_EQ(web::local_path_or_root(""), "/");
}
