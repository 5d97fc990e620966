// The UI's catalogues: the three languages have the same keys, every string a template asks for exists, and the keys
// the code builds from data (document types, purposes, indications, kinds, revocation statuses) exist too.
#include <gtest/gtest.h>

#include <fstream>
#include <iterator>
#include <regex>

#include "core/config.hpp"
#include "web/ui/assets.hpp"
#include "web/ui/i18n.hpp"
#include "web/ui/report_view.hpp"

using namespace yq;
using nlohmann::json;

namespace {

void collect_paths(const json& j, const std::string& prefix, std::set<std::string>& out) {
    if (j.is_object()) {
        for (const auto& [k, v] : j.items()) collect_paths(v, prefix.empty() ? k : prefix + "." + k, out);
    } else {
        out.insert(prefix + (j.is_array() ? "[" + std::to_string(j.size()) + "]" : ""));
    }
}

bool has_key(const std::string& lang, const std::string& dotted) {
    return web::translate(lang, dotted) != dotted;
}

}  // namespace

TEST(UiCatalogueTest, EveryLanguageHasTheSameKeys) {
    std::set<std::string> reference;
    collect_paths(web::catalogue("zh-Hant"), "", reference);
    ASSERT_GT(reference.size(), 100u);
    for (const char* lang : {"pt", "en"}) {
        std::set<std::string> keys;
        collect_paths(web::catalogue(lang), "", keys);
        EXPECT_EQ(keys, reference) << lang;
    }
}

TEST(UiCatalogueTest, EveryStringATemplateUsesExistsInEveryLanguage) {
    const std::regex tag(R"(\{\{[#^/]?\s*t\.([A-Za-z0-9_.]+)\s*\}\})");
    int seen = 0;
    for (const auto& [path, text] : web::embedded_assets()) {
        if (path.rfind("templates/", 0) != 0) continue;
        for (std::sregex_iterator it(text.begin(), text.end(), tag), end; it != end; ++it) {
            ++seen;
            std::string key = (*it)[1];
            for (const auto& lang : web::ui_languages()) {
                const json* node = &web::catalogue(lang);
                std::istringstream parts(key);
                for (std::string part; node && std::getline(parts, part, '.');)
                    node = node->is_object() && node->contains(part) ? &(*node)[part] : nullptr;
                EXPECT_TRUE(node) << path << " uses t." << key << ", missing in " << lang;
            }
        }
    }
    EXPECT_GT(seen, 50);
}

TEST(UiCatalogueTest, KeysBuiltFromDataExist) {
    core::Config defaults;
    for (const auto& lang : web::ui_languages()) {
        for (const auto& [request, documents] : defaults.ra.checklists)
            for (const auto& d : documents) EXPECT_TRUE(has_key(lang, "documents." + d)) << lang << " " << d;
        for (const char* p : {"unlock", "rekey", "registration"}) EXPECT_TRUE(has_key(lang, std::string("book.purposes.") + p));
        for (const char* s : {"booked", "cancelled", "attended"}) EXPECT_TRUE(has_key(lang, std::string("booked.statuses.") + s));
        for (const char* i : {"TOTAL-PASSED", "TOTAL-FAILED", "INDETERMINATE"}) EXPECT_TRUE(has_key(lang, std::string("verify.indications.") + i));
        for (const char* k : {"signature", "certification signature", "document time-stamp", "CMS signature"})
            EXPECT_TRUE(has_key(lang, std::string("verify.kinds.") + k)) << lang << " " << k;
        for (const char* s : {"good", "revoked", "unknown"}) EXPECT_TRUE(has_key(lang, std::string("verify.statuses.") + s));
        for (const char* s : {"yunqian CA records", "embedded OCSP response", "embedded CRL"})
            EXPECT_TRUE(has_key(lang, std::string("verify.sources.") + s));
        for (const char* r : {"revocation", "renewal", "unlock", "rekey"}) EXPECT_TRUE(has_key(lang, std::string("requests.") + r));
        EXPECT_EQ(web::catalogue(lang)["office"]["weekdays"].size(), 7u);
        for (const auto& t : defaults.ra.id_types) EXPECT_TRUE(has_key(lang, "backoffice.id_types." + t)) << lang << " " << t;
        for (const char* st : {"submitted", "checked", "approved", "completed", "rejected", "on_hold"})
            EXPECT_TRUE(has_key(lang, std::string("backoffice.request_statuses.") + st)) << lang << " " << st;
        for (int i = 0; i < 9; ++i) EXPECT_TRUE(has_key(lang, "portal.anchors." + std::to_string(i)));
        for (const char* st : {"active", "locked"}) EXPECT_TRUE(has_key(lang, std::string("portal.statuses.") + st));
    }
}

TEST(UiLanguageTest, CookieThenAcceptLanguageThenTraditionalChinese) {
    web::Request req;
    EXPECT_EQ(web::choose_language(req), "zh-Hant");
    req.headers["accept-language"] = "fr-FR, pt-PT;q=0.8, en;q=0.5";
    EXPECT_EQ(web::choose_language(req), "pt");
    req.headers["accept-language"] = "zh-TW,zh;q=0.9";
    EXPECT_EQ(web::choose_language(req), "zh-Hant");
    req.headers["cookie"] = "yq_csrf=abc; yq_lang=en";
    EXPECT_EQ(web::choose_language(req), "en");
    req.headers["cookie"] = "yq_lang=xx";  // not ours: ignored
    EXPECT_EQ(web::choose_language(req), "zh-Hant");
}

// #18: the validator's technical details are shown in the reader's language. Every detail code the validator writes
// (read from its sources) has a text in each catalogue, with the same {placeholders} as the English one, and the view
// fills them in.
TEST(UiCatalogueTest, EveryValidationDetailIsTranslatedWithItsParameters) {
    std::set<std::string> codes;
    for (const char* file : {"checks.cpp", "pdf_validator.cpp", "cms_validator.cpp"}) {
        std::ifstream in(std::string(YQ_SOURCE_DIR) + "/src/validation/" + file);
        std::string source((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
        // a Detail is written as {"code", "English text"…}; its parameters as {{"name", value}} (a second brace)
        const std::regex detail(R"re((?:^|[^{])\{"([a-z_]+)",\s)re");
        for (std::sregex_iterator it(source.begin(), source.end(), detail), end; it != end; ++it) codes.insert((*it)[1]);
    }
    ASSERT_GE(codes.size(), 18u);
    auto placeholders = [](const std::string& text) {
        std::set<std::string> out;
        const std::regex p(R"(\{([a-z]+)\})");
        for (std::sregex_iterator it(text.begin(), text.end(), p), end; it != end; ++it) out.insert((*it)[1]);
        return out;
    };
    for (const auto& code : codes) {
        const std::string key = "verify.detail_texts." + code;
        ASSERT_TRUE(has_key("en", key)) << code;
        for (const auto& lang : web::ui_languages()) {
            ASSERT_TRUE(has_key(lang, key)) << lang << " " << code;
            EXPECT_EQ(placeholders(web::translate(lang, key)), placeholders(web::translate("en", key))) << lang << " " << code;
        }
    }
    validation::Report r;
    validation::SignatureReport s;
    s.kind = "signature";
    s.indication = validation::kTotalPassed;
    s.details.push_back({"bytes_added", "512 bytes were added after this signature (later revisions)", {{"count", "512"}}});
    s.details.push_back({"not_a_known_code", "an English sentence"});
    r.signatures.push_back(s);
    json view = web::report_view(r, "zh-Hant", "");
    EXPECT_EQ(view["signatures"][0]["details"][0], "本簽署之後加入了 512 個位元組（後續修訂）");
    EXPECT_EQ(view["signatures"][0]["details"][1], "an English sentence");  // no text: the sentence as written
}
