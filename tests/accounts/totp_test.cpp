#include <gtest/gtest.h>

#include "accounts/totp.hpp"
#include "core/bytes.hpp"
#include "support/fixtures.hpp"

using namespace yq;

namespace {
// RFC 6238 Appendix B: the SHA-1 test key "12345678901234567890", 8-digit codes; we use 6 digits = the last 6.
core::SecureBytes rfc6238_key() {
    std::string k = "12345678901234567890";
    return core::SecureBytes(k.begin(), k.end());
}
}  // namespace

TEST(Totp, MatchesRfc6238TestVectors) {
    EXPECT_EQ(accounts::totp_code(rfc6238_key(), 59), "287082");          // 94287082
    EXPECT_EQ(accounts::totp_code(rfc6238_key(), 1111111109), "081804");  // 07081804
    EXPECT_EQ(accounts::totp_code(rfc6238_key(), 2000000000), "279037");  // 69279037
}

TEST(Totp, AcceptsOneStepOfDriftAndReportsTheStep) {
    auto key = rfc6238_key();
    std::int64_t now = 1111111109;  // step 37037036
    EXPECT_EQ(accounts::totp_step_for(key, accounts::totp_code(key, now), now), 37037036);
    EXPECT_EQ(accounts::totp_step_for(key, accounts::totp_code(key, now - 30), now), 37037035);
    EXPECT_EQ(accounts::totp_step_for(key, accounts::totp_code(key, now + 30), now), 37037037);
    EXPECT_FALSE(accounts::totp_step_for(key, accounts::totp_code(key, now + 90), now));
    EXPECT_FALSE(accounts::totp_step_for(key, "12345", now));
    EXPECT_FALSE(accounts::totp_step_for(key, "abcdef", now));
}

TEST(Totp, OtpauthUriFollowsTheKeyUriFormat) {
    auto uri = accounts::otpauth_uri(rfc6238_key(), "yunqian", "chan.taiman");
    // base32 of "12345678901234567890" (RFC 4648 §6)
    EXPECT_EQ(uri, "otpauth://totp/yunqian:chan.taiman?secret=GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ&issuer=yunqian"
                   "&algorithm=SHA1&digits=6&period=30");
}

TEST(Totp, EnrolmentQrCodeDecodesBackToTheUri) {
    test::TempDir dir;
    std::string uri = accounts::otpauth_uri(rfc6238_key(), "yunqian", "chan.taiman");
    test::write_file(dir.file("qr.svg"), accounts::otpauth_qr_svg(uri));
    // an independent reader: render with librsvg, decode with zbar
    auto png = test::run_command("rsvg-convert -w 400 -h 400 -b white -o " + dir.file("qr.png") + " " + dir.file("qr.svg"));
    ASSERT_EQ(png.exit_code, 0) << png.output;
    auto decoded = test::run_command("zbarimg --quiet --raw " + dir.file("qr.png") + " 2>/dev/null");  // stderr: dbus noise
    EXPECT_EQ(decoded.output, uri + "\n");
}
