#include <gtest/gtest.h>

#include "core/bytes.hpp"
#include "core/error.hpp"

using namespace yq;

TEST(Hex, RoundTripsAndRejectsNonHex) {
    core::Bytes b{0x00, 0x7f, 0x80, 0xff};
    EXPECT_EQ(core::hex_encode(b), "007f80ff");
    EXPECT_EQ(core::hex_decode("007F80ff"), b);
    try {
        core::hex_decode("0g");
        FAIL() << "accepted a non-hex digit";
    } catch (const Error& e) {
        EXPECT_EQ(e.code(), "encoding.bad_hex");
        EXPECT_EQ(e.http_status(), 400);
    }
    EXPECT_THROW(core::hex_decode("abc"), Error);
}

TEST(Base64, MatchesRfc4648VectorsAndAcceptsUrlAlphabet) {
    // RFC 4648 §10 test vectors
    EXPECT_EQ(core::base64_encode(core::to_bytes("")), "");
    EXPECT_EQ(core::base64_encode(core::to_bytes("f")), "Zg==");
    EXPECT_EQ(core::base64_encode(core::to_bytes("foob")), "Zm9vYg==");
    EXPECT_EQ(core::base64_encode(core::to_bytes("foobar")), "Zm9vYmFy");
    EXPECT_EQ(core::to_string(core::base64_decode("Zm9vYg==")), "foob");
    EXPECT_EQ(core::to_string(core::base64_decode("Zm9vYg")), "foob");  // padding optional
    EXPECT_EQ(core::base64_decode("-_8="), (core::Bytes{0xfb, 0xff}));
    EXPECT_EQ(core::base64_decode("+/8="), (core::Bytes{0xfb, 0xff}));
    EXPECT_THROW(core::base64_decode("Zm9v!"), Error);
}

TEST(ConstantTimeEqual, ComparesContentAndLength) {
    EXPECT_TRUE(core::constant_time_equal("secret", "secret"));
    EXPECT_FALSE(core::constant_time_equal("secret", "secreT"));
    EXPECT_FALSE(core::constant_time_equal("secret", "secret!"));
    EXPECT_TRUE(core::constant_time_equal("", ""));
}

TEST(Sha256, MatchesFips180Vector) {
    EXPECT_EQ(core::hex_encode(core::sha256(std::string_view("abc"))),
              "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
}

TEST(RandomToken, IsUrlSafeAndDiffers) {
    std::string a = core::random_token(16), b = core::random_token(16);
    EXPECT_NE(a, b);
    EXPECT_EQ(a.find_first_not_of("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_"), std::string::npos);
}
