// The PDF validator on hostile files, in this process (the server runs the same parse in its isolated PDF workers).
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "support/fixtures.hpp"
#include "validation/pdf_validator.hpp"
#include "validation/report.hpp"

using namespace yq;

namespace {
core::IsolationLimits in_process() {
    core::IsolationLimits limits;
    limits.enabled = false;
    return limits;
}
}  // namespace

// #17 fuzzing (validate, corpus regression-not-utf8): a PDF whose signature dictionary carries bytes that are not
// UTF-8 (PDF names and strings need not be) made the parse's JSON writer throw (nlohmann type_error 316), so the file
// got no report at all — in the server, an error instead of a verdict. The file must get a report, and everything the
// report says must be text a JSON writer accepts (strict dump, no replacement asked for).
TEST(PdfValidatorOnHostileFiles, SignatureDataThatIsNotUtf8StillGetsAReport) {
    validation::PdfValidator validator({}, nullptr, in_process());
    for (const char* name : {"regression-not-utf8", "regression-not-utf8-2"}) {  // two fuzz findings of the kind
        std::string input = test::read_file(std::string(YQ_SOURCE_DIR) + "/tests/fuzz/corpus/validate/" + name);
        ASSERT_EQ(input[0] & 1, 1) << name << ": the fuzz target's first byte chose PDF validation";
        validation::Report report = validator.validate(input.substr(1));
        std::string written;
        EXPECT_NO_THROW(written = validation::to_json(report).dump()) << name;
        EXPECT_FALSE(nlohmann::json::parse(written, nullptr, false).is_discarded()) << name;
    }
}
