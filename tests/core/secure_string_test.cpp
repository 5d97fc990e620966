// Secrets in memory (#14): a password must never sit in a string's small-string buffer, which nothing wipes.
#include <gtest/gtest.h>

#include "core/secure_buffer.hpp"

using yq::core::SecureString;

namespace {

// True when the characters live inside the string object itself (the small-string buffer), not on the heap.
bool inside_object(const SecureString& s) {
    auto* first = reinterpret_cast<const char*>(&s);
    return s.data() >= first && s.data() < first + sizeof(SecureString);
}

}  // namespace

TEST(SecureStringTest, ShortPasswordNeverSitsInTheUnwipedSmallStringBuffer) {
    const std::string typed = "pin-1234";  // 8 characters: a plain std::string keeps these inline
    SecureString literal("pin-1234");
    SecureString ranged(typed.begin(), typed.end());
    SecureString counted(typed.data(), typed.size());
    SecureString filled(6, '7');
    SecureString converted = yq::core::to_secure(typed);
    SecureString copied(literal);
    SecureString assigned;
    assigned = literal;
    SecureString moved(std::move(copied));
    SecureString empty;
    empty += "abc";
    for (const SecureString* s : {&literal, &ranged, &counted, &filled, &converted, &assigned, &moved, &empty})
        EXPECT_FALSE(inside_object(*s)) << "'" << *s << "' sits in the small-string buffer";
    EXPECT_EQ(literal, "pin-1234");
    EXPECT_EQ(ranged, literal);
    EXPECT_EQ(moved, literal);
    EXPECT_EQ(filled, "777777");
}
