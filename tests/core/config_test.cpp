#include <gtest/gtest.h>

#include "core/config.hpp"
#include "core/error.hpp"

using namespace yq;

TEST(Config, EmptyFileGivesSafeDefaults) {
    core::Config c = core::parse_config("/srv/yq", "");
    EXPECT_EQ(c.server.listener.host, "127.0.0.1");
    EXPECT_FALSE(c.server.listener.allow_plaintext_non_loopback);
    EXPECT_EQ(c.database.url, "sqlite:db/yunqian.sqlite3");
    EXPECT_EQ(c.resolve("hsm/pins.json"), "/srv/yq/hsm/pins.json");
    EXPECT_EQ(c.resolve("/etc/x"), "/etc/x");
    ASSERT_EQ(c.ca.profiles.count("signer"), 1u);
    const auto& signer = c.ca.profiles.at("signer");
    EXPECT_EQ(signer.validity_days, 3 * 365);  // eSignCloud certificates are valid 3 years
    EXPECT_EQ(signer.key_usage, "critical,digitalSignature,nonRepudiation");
    for (const char* p : {"organisation", "signer", "ocsp", "tsa"}) EXPECT_EQ(c.ca.profiles.count(p), 1u) << p;
}

TEST(Config, OverridesFieldsAndAcceptsComments) {
    core::Config c = core::parse_config("/h", R"({
      // comment
      "server": {"listener": {"host": "10.0.0.5", "port": 9443}},
      "ca": {"profiles": {"signer": {"validity_days": 730}}},
      "kdf": {"time_cost": 2, "memory_kib": 1024}
    })");
    EXPECT_EQ(c.server.listener.host, "10.0.0.5");
    EXPECT_EQ(c.server.listener.port, 9443);
    EXPECT_EQ(c.ca.profiles.at("signer").validity_days, 730);
    EXPECT_EQ(c.ca.profiles.at("signer").key_usage, "critical,digitalSignature,nonRepudiation");  // untouched
    EXPECT_EQ(c.kdf.time_cost, 2u);
}

TEST(Config, RejectsWrongTypesAndNamesTheField) {
    try {
        core::parse_config("/h", R"({"server": {"listener": {"port": "eighty"}}})");
        FAIL();
    } catch (const Error& e) {
        EXPECT_EQ(e.code(), "config.invalid");
        EXPECT_NE(std::string(e.what()).find("server.listener.port"), std::string::npos);
    }
    EXPECT_THROW(core::parse_config("/h", "{not json"), Error);
    EXPECT_THROW(core::parse_config("/h", R"({"ca": {"profiles": {"x": {"validity_days": 0}}}})"), Error);
}
