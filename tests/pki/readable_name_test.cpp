// #16: DN strings read as people read them — a signer's name with title, unit and organisation, never the raw DN.
#include <gtest/gtest.h>

#include "pki/readable_name.hpp"

using namespace yq;

TEST(ReadableNameTest, ASignersNameComesFirstWithTitleUnitAndOrganisationBeside) {
    auto n = pki::readable_name(
        "emailAddress=chan.taiman@dsaj.gov.mo,serialNumber=chan.taiman,CN=陳大文 Chan Tai Man,title=Técnico superior,"
        "OU=Divisão de Registos,O=法務局");
    EXPECT_EQ(n.name, "陳大文 Chan Tai Man");
    EXPECT_EQ(n.detail, "Técnico superior · Divisão de Registos · 法務局");
}

TEST(ReadableNameTest, EscapedSeparatorsAndHexBytesAreReadBack) {
    // RFC 4514 §2.4: "\," keeps a comma in the value; "\C3\A9" is the two bytes of é in UTF-8
    auto attrs = pki::name_attributes("CN=Leong\\, Ka Man,O=Servi\\C3\\A7os X+OU=Unit A");
    ASSERT_EQ(attrs.size(), 3u);
    EXPECT_EQ(attrs[0], (std::pair<std::string, std::string>{"CN", "Leong, Ka Man"}));
    EXPECT_EQ(attrs[1], (std::pair<std::string, std::string>{"O", "Serviços X"}));
    EXPECT_EQ(attrs[2], (std::pair<std::string, std::string>{"OU", "Unit A"}));
}

TEST(ReadableNameTest, AnOrganisationWithoutACommonNameIsNamedByItselfOnce) {
    auto n = pki::readable_name("C=MO,O=yunqian");
    EXPECT_EQ(n.name, "yunqian");
    EXPECT_EQ(n.detail, "");
    EXPECT_EQ(pki::readable_name("").name, "");
}
