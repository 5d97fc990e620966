#include <gtest/gtest.h>

#include <fstream>
#include <sstream>

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

// #16: the seed office's example (docs/examples/office-macau.json) is a configuration the product loads: contacts in
// three languages, the e-mail addresses by purpose, and public holidays with their names.
TEST(Config, TheSeedOfficeExampleLoadsWithItsContactsAndNamedHolidays) {
    std::ifstream in(std::string(YQ_SOURCE_DIR) + "/docs/examples/office-macau.json");
    std::stringstream text;
    text << in.rdbuf();
    core::Config c = core::parse_config("/h", text.str());
    const auto& o = c.office;
    EXPECT_EQ(o.hours[0], "09:00-17:45");  // Mon–Thu 9:00–17:45, Fri 9:00–17:30 (domain reference)
    EXPECT_EQ(o.hours[4], "09:00-17:30");
    EXPECT_EQ(core::text_in(o.operator_name, "zh-Hant"), "雲簽核證機構");
    EXPECT_NE(core::text_in(o.address, "pt").find("Macau"), std::string::npos);
    EXPECT_NE(core::text_in(o.address, "zh-Hant"), core::text_in(o.address, "en"));
    for (const std::string* mail : {&o.email, &o.sales_email, &o.helpdesk_email}) EXPECT_NE(mail->find('@'), std::string::npos);
    EXPECT_FALSE(o.phone.empty());
    EXPECT_FALSE(o.fax.empty());
    ASSERT_GE(o.holidays.size(), 20u);
    EXPECT_EQ(o.holidays.size(), o.holiday_names.size());  // every holiday of the example is named
    EXPECT_EQ(core::text_in(o.holiday_names.at("2026-12-20"), "pt"), "Dia Comemorativo do Estabelecimento da RAEM");
}

TEST(Config, OfficeTextsArePerLanguageOrOneForAllAndBadHolidaysNameTheField) {
    core::Config c = core::parse_config("/h", R"({"office": {"address": "Rua A, Macau",
        "operator_name": {"zh-Hant": "營運者", "pt": "Operador"},
        "holidays": ["2027-01-01", {"date": "2027-05-01", "name": "勞動節"}]}})");
    EXPECT_EQ(core::text_in(c.office.address, "pt"), "Rua A, Macau");  // one text for every language
    EXPECT_EQ(core::text_in(c.office.operator_name, "pt"), "Operador");
    EXPECT_EQ(core::text_in(c.office.operator_name, "en"), "營運者");  // no English given: the office's first language
    EXPECT_EQ(c.office.holidays, (std::vector<std::string>{"2027-01-01", "2027-05-01"}));
    EXPECT_EQ(core::text_in(c.office.holiday_names.at("2027-05-01"), "en"), "勞動節");
    EXPECT_EQ(c.office.holiday_names.count("2027-01-01"), 0u);
    try {
        core::parse_config("/h", R"({"office": {"holidays": [{"name": "no date"}]}})");
        FAIL();
    } catch (const Error& e) {
        EXPECT_EQ(e.code(), "config.invalid");
        EXPECT_NE(std::string(e.what()).find("office.holidays"), std::string::npos) << e.what();
    }
}
