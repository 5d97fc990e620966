// A signature's /Contents is its DER object followed by zero padding (ISO 32000-1 §12.8.1). Found by a B-LTA run
// whose document time-stamp token happened to end in a 0x00 byte (about one token in 256): stripping trailing zeros
// cut the token's last byte and a valid time-stamp was reported as "cannot be parsed".
#include <gtest/gtest.h>

#include <algorithm>

#include "validation/checks.hpp"

using namespace yq;

TEST(DerContents, ATokenWhoseLastByteIsZeroIsReadWholeFromItsPaddedContents) {
    // SEQUENCE { INTEGER 0 } ends in 0x00; then the padding
    const core::Bytes object{0x30, 0x03, 0x02, 0x01, 0x00};
    core::Bytes padded(object.size() + 64, 0x00);  // built whole (GCC 12 -O3 misreads a small vector's insert)
    std::copy(object.begin(), object.end(), padded.begin());
    EXPECT_EQ(validation::first_der_object(padded), object);
    // a long-form length (X.690 §8.1.3.5): 0x81 0x80 = 128 content bytes, the last of them 0x00
    core::Bytes longer(3 + 128, 0x00);
    longer[0] = 0x04, longer[1] = 0x81, longer[2] = 0x80;
    for (int i = 0; i < 127; ++i) longer[3 + i] = static_cast<std::uint8_t>(i + 1);  // the 128th content byte stays 0x00
    core::Bytes longer_padded(longer.size() + 10, 0x00);
    std::copy(longer.begin(), longer.end(), longer_padded.begin());
    EXPECT_EQ(validation::first_der_object(longer_padded), longer);
}

TEST(DerContents, AHeaderThatCannotBeReadLeavesTheBytesToTheParser) {
    const core::Bytes overlong{0x30, 0x10, 0x02, 0x01};  // says 16 content bytes, has 2
    EXPECT_EQ(validation::first_der_object(overlong), overlong);
    const core::Bytes indefinite{0x30, 0x80, 0x02, 0x01, 0x00, 0x00, 0x00};
    EXPECT_EQ(validation::first_der_object(indefinite), indefinite);
    EXPECT_TRUE(validation::first_der_object({}).empty());
}
