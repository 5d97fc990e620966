// The sliding window of sign-in failures and bookings.
#include <gtest/gtest.h>

#include "web/ui/attempt_limiter.hpp"

using namespace yq;

TEST(AttemptLimiterTest, AKeyWaitsAfterTheAllowanceUntilItsOldestAttemptLeavesTheWindow) {
    web::AttemptLimiter limiter(3, 600);
    EXPECT_EQ(limiter.wait_seconds("ip:1", 1000), 0);
    limiter.record("ip:1", 1000);
    limiter.record("ip:1", 1100);
    EXPECT_EQ(limiter.wait_seconds("ip:1", 1150), 0);
    limiter.record("ip:1", 1200);
    EXPECT_EQ(limiter.wait_seconds("ip:1", 1250), 350);  // the attempt at 1000 leaves the window at 1600
    EXPECT_EQ(limiter.wait_seconds("ip:2", 1250), 0);    // other keys are not affected
    EXPECT_EQ(limiter.wait_seconds("ip:1", 1600), 0);
    limiter.record("ip:1", 1600);
    EXPECT_EQ(limiter.wait_seconds("ip:1", 1601), 99);  // 1100 + 600 - 1601
}
