// kdf.max_concurrent (#19): the server may run many workers, but no more Argon2id computations at once than the limit.
#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <optional>
#include <thread>
#include <vector>

#include "accounts/password_hash.hpp"
#include "core/kdf_slots.hpp"

using namespace yq;

TEST(KdfSlotsTest, PasswordHashingNeverRunsMoreThanTheLimitAtOnce) {
    core::KdfSlots& slots = core::KdfSlots::instance();
    slots.set_limit(2);
    slots.reset_peak();
    core::KdfConfig cost;
    cost.time_cost = 1;
    cost.memory_kib = 4096;
    std::vector<std::thread> threads;
    std::vector<bool> verified(8, false);
    for (std::size_t i = 0; i < 8; ++i)
        threads.emplace_back([&, i] {
            core::SecureString pw = core::to_secure("password " + std::to_string(i));
            verified[i] = accounts::verify_password(pw, accounts::hash_password(pw, cost));
        });
    for (auto& t : threads) t.join();
    for (bool v : verified) EXPECT_TRUE(v);
    EXPECT_GE(slots.peak(), 1) << "hashing did not go through the slots";
    EXPECT_LE(slots.peak(), 2);
    EXPECT_EQ(slots.in_use(), 0);
}

TEST(KdfSlotsTest, AWaitingCallerProceedsWhenASlotIsFreed) {
    core::KdfSlots& slots = core::KdfSlots::instance();
    slots.set_limit(1);
    std::atomic<bool> second_in{false};
    std::optional<core::KdfSlots::Slot> first(std::in_place, slots);
    std::thread waiter([&] {
        core::KdfSlots::Slot s(slots);
        second_in = true;
    });
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
    EXPECT_FALSE(second_in.load()) << "a second computation started while the only slot was held";
    first.reset();
    waiter.join();
    EXPECT_TRUE(second_in.load());
    slots.set_limit(2);
}
