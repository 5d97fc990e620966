#include <gtest/gtest.h>

#include "core/error.hpp"
#include "pki/revocation_reason.hpp"

using namespace yq;

TEST(RevocationReason, UsesRfc5280Codes) {
    // RFC 5280 §5.3.1 CRLReason values
    EXPECT_EQ(pki::reason_code("unspecified"), 0);
    EXPECT_EQ(pki::reason_code("keyCompromise"), 1);
    EXPECT_EQ(pki::reason_code("affiliationChanged"), 3);
    EXPECT_EQ(pki::reason_code("superseded"), 4);
    EXPECT_EQ(pki::reason_code("cessationOfOperation"), 5);
    EXPECT_EQ(pki::reason_code("privilegeWithdrawn"), 9);
    EXPECT_EQ(pki::reason_name(9), "privilegeWithdrawn");
}

TEST(RevocationReason, UnknownNameListsTheValidOnes) {
    try {
        pki::reason_code("stolen");
        FAIL();
    } catch (const Error& e) {
        EXPECT_EQ(e.code(), "ca.bad_reason");
        EXPECT_NE(std::string(e.what()).find("keyCompromise"), std::string::npos);
    }
    EXPECT_THROW(pki::reason_code("certificateHold"), Error);  // revocation is final here
}
