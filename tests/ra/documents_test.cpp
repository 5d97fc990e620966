// Upload checks and the checklist engine (pure logic).
#include <gtest/gtest.h>

#include "core/error.hpp"
#include "ra/documents.hpp"
#include "support/fixtures.hpp"

using namespace yq;

namespace {
core::Bytes bytes(const std::string& s) { return core::to_bytes(s); }
}  // namespace

TEST(Documents, TypeIsDecidedByContentNotByName) {
    EXPECT_EQ(ra::check_upload(bytes("%PDF-1.7\n..."), 1024), "application/pdf");
    EXPECT_EQ(ra::check_upload(bytes(std::string("\xFF\xD8\xFF\xDB", 4) + "jpeg"), 1024), "image/jpeg");
    EXPECT_EQ(ra::check_upload(bytes(std::string("\x89PNG\r\n\x1a\n", 8) + "png"), 1024), "image/png");
    EXPECT_EQ(test::error_code_of([] { ra::check_upload(bytes("<html>%PDF-1.7</html>"), 1024); }),
              "documents.unsupported_type");
    EXPECT_EQ(test::error_code_of([] { ra::check_upload(bytes("GIF89a"), 1024); }), "documents.unsupported_type");
    EXPECT_EQ(test::error_code_of([] { ra::check_upload(bytes(std::string("\x89PNG", 4)), 1024); }),
              "documents.unsupported_type");  // a truncated signature is not a PNG
    EXPECT_EQ(test::error_code_of([] { ra::check_upload({}, 1024); }), "documents.empty");
}

TEST(Documents, SizeLimitGives413AndTheTypeErrorGives415) {
    try {
        ra::check_upload(bytes("%PDF-" + std::string(2000, 'x')), 1024);
        FAIL() << "no error";
    } catch (const Error& e) {
        EXPECT_EQ(e.code(), "documents.too_large");
        EXPECT_EQ(e.http_status(), 413);
    }
    try {
        ra::check_upload(bytes("plain text"), 1024);
        FAIL() << "no error";
    } catch (const Error& e) {
        EXPECT_EQ(e.http_status(), 415);
    }
}

TEST(Checklist, AgencyNeedsTheLetterOnlyWhenADelegateSigns) {
    core::RaConfig config;
    EXPECT_EQ(ra::required_documents(config, "agency", false),
              (std::vector<std::string>{"agency_application_form", "representative_id_copy", "contact_id_copy"}));
    EXPECT_EQ(ra::required_documents(config, "agency", true),
              (std::vector<std::string>{"agency_application_form", "representative_id_copy", "contact_id_copy",
                                        "authorisation_letter"}));
}

TEST(Checklist, MissingListsWhatIsNotAttachedAndTheErrorCarriesIt) {
    std::vector<std::string> required{"service_application_form", "user_id_copy"};
    std::vector<ra::Attachment> attached{{"user_id_copy", "ab", "staff:o", 1}, {"other", "cd", "staff:o", 2}};
    EXPECT_EQ(ra::missing_documents(required, attached), std::vector<std::string>{"service_application_form"});
    try {
        ra::require_documents(required, attached);
        FAIL() << "no error";
    } catch (const Error& e) {
        EXPECT_EQ(e.code(), "ra.documents_missing");
        EXPECT_EQ(e.http_status(), 422);
        EXPECT_EQ(e.details(), std::vector<std::string>{"service_application_form"});
    }
    attached.push_back({"service_application_form", "ef", "staff:o", 3});
    EXPECT_NO_THROW(ra::require_documents(required, attached));
}

TEST(Checklist, ConfigReplacesOneRequestTypeAndKeepsTheOthers) {
    core::Config c = core::parse_config("/tmp", R"({"ra": {"checklists": {"unlock": ["unlock_request_form"]}}})");
    EXPECT_EQ(c.ra.checklists.at("unlock"), std::vector<std::string>{"unlock_request_form"});
    EXPECT_EQ(c.ra.checklists.at("application"), (std::vector<std::string>{"service_application_form", "user_id_copy"}));
}
