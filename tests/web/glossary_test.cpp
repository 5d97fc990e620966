// #16 "Wording": one term per thing, in Macau usage. docs/glossary/LANG.json lists the term we use for each thing and
// the variants no page may carry; this test holds the language's catalogue, every page template, the visible
// signature appearance and the e-mail notices to it, and checks that each term the glossary prescribes is really in use (a stale glossary
// entry fails too).
#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>
#include <map>
#include <set>
#include <nlohmann/json.hpp>

#include "support/fixtures.hpp"

using namespace yq;
using nlohmann::json;

namespace {

const std::filesystem::path kSource = YQ_SOURCE_DIR;

// Every string value of the catalogue, with its dotted key.
void collect_strings(const json& j, const std::string& prefix, std::vector<std::pair<std::string, std::string>>& out) {
    if (j.is_object()) {
        for (const auto& [k, v] : j.items()) collect_strings(v, prefix.empty() ? k : prefix + "." + k, out);
    } else if (j.is_array()) {
        for (std::size_t i = 0; i < j.size(); ++i) collect_strings(j[i], prefix + "[" + std::to_string(i) + "]", out);
    } else if (j.is_string()) {
        out.emplace_back(prefix, j.get<std::string>());
    }
}

// Every variant the glossary of `lang` forbids is absent, and every term it prescribes is used somewhere.
void expect_pages_follow_the_glossary(const std::string& lang) {
    json glossary = json::parse(test::read_file((kSource / ("docs/glossary/" + lang + ".json")).string()));
    ASSERT_GE(glossary["terms"].size(), 5u);

    // where the language's text lives: the catalogue (by key), the templates and the signature appearance (by file)
    std::vector<std::pair<std::string, std::string>> texts;
    collect_strings(json::parse(test::read_file((kSource / ("src/web/i18n/" + lang + ".json")).string())), lang, texts);
    for (const auto& entry : std::filesystem::directory_iterator(kSource / "src/web/templates"))
        texts.emplace_back(entry.path().filename().string(), test::read_file(entry.path().string()));
    texts.emplace_back("pades/appearance.cpp", test::read_file((kSource / "src/pades/appearance.cpp").string()));
    // the e-mail notices' texts in this language
    std::vector<std::pair<std::string, std::string>> mail;
    collect_strings(json::parse(test::read_file((kSource / "src/notices/messages.json").string())), "notices", mail);
    for (const auto& [where, text] : mail)
        if (where.find("." + lang + ".") != std::string::npos || where.ends_with("." + lang)) texts.emplace_back(where, text);

    for (const json& term : glossary["terms"]) {
        const std::string use = term["use"];
        bool used = false;
        for (const auto& [where, text] : texts) {
            used = used || text.find(use) != std::string::npos;
            for (const std::string not_this : term["not"])
                EXPECT_EQ(text.find(not_this), std::string::npos)
                    << where << " says '" << not_this << "' where the glossary uses '" << use << "' (" << term["for"] << ")";
        }
        EXPECT_TRUE(used) << lang << ": no page uses '" << use << "': drop it from the glossary or use it";
    }
}

}  // namespace

TEST(GlossaryTest, ZhHantPagesUseOneMacauTermPerThing) { expect_pages_follow_the_glossary("zh-Hant"); }

TEST(GlossaryTest, PortuguesePagesUseOneTermPerThing) { expect_pages_follow_the_glossary("pt"); }

// #16 "no English left" in Portuguese: no catalogue text is the English one copied, except names and acronyms that are
// the same in both languages.
TEST(GlossaryTest, NoPortugueseTextIsEnglishLeftAsItWas) {
    std::vector<std::pair<std::string, std::string>> pt, en;
    collect_strings(json::parse(test::read_file((kSource / "src/web/i18n/pt.json").string())), "", pt);
    collect_strings(json::parse(test::read_file((kSource / "src/web/i18n/en.json").string())), "", en);
    std::map<std::string, std::string> english(en.begin(), en.end());
    const std::set<std::string> same_in_both = {"OCSP", "Auditor"};
    std::size_t compared = 0;
    for (const auto& [key, text] : pt) {
        auto e = english.find(key);
        if (e == english.end()) continue;
        ++compared;
        bool has_words = std::count_if(text.begin(), text.end(), [](unsigned char c) { return std::isalpha(c); }) > 3;
        if (has_words && text == e->second && !same_in_both.count(text))
            ADD_FAILURE() << key << " is still English in pt.json: " << text;
    }
    EXPECT_GT(compared, 500u) << "the catalogues no longer line up";
}
