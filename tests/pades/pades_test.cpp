// PAdES signatures as incremental updates, signed here by a local key standing in for the remote signer; judged by
// pdfsig (its verdict text), qpdf --check and openssl cms. Inputs come from Ghostscript, qpdf (object streams and an
// xref stream) and a hand-written file with an empty signature field.
#include <gtest/gtest.h>

#include <ctime>

#include "cms/cades_signature.hpp"
#include "core/error.hpp"
#include "pades/signature_preparer.hpp"
#include "support/fixtures.hpp"
#include "support/local_signer.hpp"
#include "support/pdf_tools.hpp"

using namespace yq;

namespace {

pades::SignatureRequest visible_request(int page = 1) {
    pades::SignatureRequest r;
    r.placement.kind = pades::Placement::Kind::Rectangle;
    r.placement.page = page;
    r.placement.x1 = 300;
    r.placement.y1 = 60;
    r.placement.x2 = 560;
    r.placement.y2 = 160;
    r.dictionary.signing_time = pades::pdf_date(std::time(nullptr), 480);
    r.dictionary.reason = "核准 Approved";
    r.dictionary.location = "澳門 Macau";
    r.appearance = {"陳大文 Chan Tai Man", "法務局 Legal Affairs Bureau", "技術員 Technician",
                    "2026-11-25 22:15 (Asia/Macau)", "核准 Approved", "澳門 Macau",
                    "http://127.0.0.1:8080/verify?d=abc"};
    return r;
}

// The PDF worker processes (exec'd and sandboxed as in the server), shared by the tests of this process.
pades::PdfParsers& parsers() {
    static std::shared_ptr<pades::PdfParsers> shared = pades::make_pdf_parsers();
    return *shared;
}

std::string sign(const std::string& pdf, const pades::SignatureRequest& request, const test::LocalSigner& s) {
    auto prepared = pades::prepare_signature(parsers(), pdf, request);
    cms::CadesSignature cades(s.cert.get(), {}, prepared.digest);
    return pades::finish_signature(std::move(prepared), cades.finish(test::sign_digest(s.key.get(), cades.to_be_signed_digest())));
}

class PadesTest : public ::testing::Test {
protected:
    test::TempDir work;
    test::LocalSigner signer = test::make_local_signer("EC");
    std::string nss = test::nss_trusting(work, pki::to_pem(signer.ca_cert.get()));

    void expect_valid(const std::string& file, std::size_t signatures) {
        auto sigs = test::pdfsig(nss, file);
        ASSERT_EQ(sigs.size(), signatures) << test::run_command("pdfsig -no-ocsp " + file).output;
        for (std::size_t i = 0; i < sigs.size(); ++i) {
            EXPECT_EQ(sigs[i].validation, "Signature is Valid.") << file << " #" << i;
            EXPECT_EQ(sigs[i].certificate, "Certificate is Trusted.") << file << " #" << i;
            EXPECT_EQ(sigs[i].sub_filter, "ETSI.CAdES.detached") << file << " #" << i;
            EXPECT_NE(test::openssl_verify_pdf_signature(work, file, static_cast<int>(i), pki::to_pem(signer.ca_cert.get()))
                          .find("Verification successful"),
                      std::string::npos);
        }
        EXPECT_TRUE(sigs.back().total_document);
        std::string check = test::qpdf_check(file);
        EXPECT_NE(check.find("No syntax or stream encoding errors found"), std::string::npos) << check;
    }
};

}  // namespace

TEST_F(PadesTest, VisibleSignatureOnAGhostscriptFileIsValidAndTheOriginalBytesAreKept) {
    std::string input = test::read_file(test::ghostscript_pdf(work, 3));
    std::string out = sign(input, visible_request(2), signer);
    EXPECT_EQ(out.compare(0, input.size(), input), 0) << "an incremental update never changes earlier bytes";
    test::write_file(work.file("signed.pdf"), out);
    expect_valid(work.file("signed.pdf"), 1);
}

TEST_F(PadesTest, ACairoMadeMultiPageFileSignsOnItsLastPage) {
    std::string input = test::read_file(test::cairo_pdf(work, test::ghostscript_pdf(work, 3)));
    ASSERT_NE(input.find("cairo"), std::string::npos);  // the producer really is another one
    std::string out = sign(input, visible_request(3), signer);
    test::write_file(work.file("signed.pdf"), out);
    expect_valid(work.file("signed.pdf"), 1);
}

TEST_F(PadesTest, ObjectStreamsAndXrefStreamsGetAnXrefStreamUpdate) {
    std::string input = test::read_file(test::qpdf_object_streams(work, test::ghostscript_pdf(work, 2)));
    ASSERT_NE(input.find("/ObjStm"), std::string::npos);
    std::string out = sign(input, visible_request(1), signer);
    EXPECT_NE(out.find("/Type /XRef", input.size()), std::string::npos);
    EXPECT_EQ(out.find("\nxref\n", input.size()), std::string::npos);
    test::write_file(work.file("signed.pdf"), out);
    expect_valid(work.file("signed.pdf"), 1);
}

TEST_F(PadesTest, ASecondSignatureKeepsTheFirstValidAndAnInvisibleOneWorks) {
    std::string once = sign(test::read_file(test::ghostscript_pdf(work, 1)), visible_request(1), signer);
    pades::SignatureRequest invisible;
    invisible.dictionary.signing_time = pades::pdf_date(std::time(nullptr), 480);
    std::string twice = sign(once, invisible, signer);
    test::write_file(work.file("twice.pdf"), twice);
    auto sigs = test::pdfsig(nss, work.file("twice.pdf"));
    ASSERT_EQ(sigs.size(), 2u);
    EXPECT_FALSE(sigs[0].total_document);  // the first covers its own revision
    expect_valid(work.file("twice.pdf"), 2);
}

TEST_F(PadesTest, AnExistingEmptyFieldIsSignedByName) {
    std::string input = test::read_file(test::pdf_with_empty_signature_field(work, "Approval"));
    pades::SignatureRequest r = visible_request();
    r.placement.kind = pades::Placement::Kind::Field;
    r.placement.field_name = "Approval";
    std::string out = sign(input, r, signer);
    test::write_file(work.file("field-signed.pdf"), out);
    expect_valid(work.file("field-signed.pdf"), 1);
    EXPECT_EQ(test::error_code_of([&] { sign(out, r, signer); }), "pades.field_signed");
    r.placement.field_name = "Nope";
    EXPECT_EQ(test::error_code_of([&] { sign(input, r, signer); }), "pades.no_such_field");
}

TEST_F(PadesTest, ACertificationSignatureSetsDocMdpAndOnlyTheFirstMayCertify) {
    pades::SignatureRequest r = visible_request();
    r.certification = 2;
    std::string out = sign(test::read_file(test::ghostscript_pdf(work, 1)), r, signer);
    test::write_file(work.file("certified.pdf"), out);
    expect_valid(work.file("certified.pdf"), 1);
    std::string json = test::run_command("qpdf --json=2 --json-key=qpdf " + work.file("certified.pdf")).output;
    EXPECT_NE(json.find("\"/Perms\""), std::string::npos);
    EXPECT_NE(json.find("\"/DocMDP\""), std::string::npos);
    EXPECT_NE(json.find("\"/TransformMethod\": \"/DocMDP\""), std::string::npos) << json.substr(0, 2000);
    EXPECT_EQ(test::error_code_of([&] { sign(out, r, signer); }), "pades.already_signed");
    r.certification = 7;
    EXPECT_EQ(test::error_code_of([&] { sign(test::read_file(test::ghostscript_pdf(work, 1)), r, signer); }),
              "pades.bad_certification");
}

TEST_F(PadesTest, OneFlippedByteInsideTheSignedRangeIsADigestMismatch) {
    std::string input = test::read_file(test::ghostscript_pdf(work, 1));
    std::string out = sign(input, visible_request(), signer);
    std::size_t at = input.find("/MediaBox");  // inside the original revision, in a dictionary (not a stream)
    ASSERT_NE(at, std::string::npos);
    out[at + 1] = 'm';
    test::write_file(work.file("tampered.pdf"), out);
    auto sigs = test::pdfsig(nss, work.file("tampered.pdf"));
    ASSERT_EQ(sigs.size(), 1u);
    EXPECT_EQ(sigs[0].validation, "Digest Mismatch.");
}

TEST_F(PadesTest, TheAppearanceTextIsExtractableChineseAndLatin) {
    std::string out = sign(test::read_file(test::ghostscript_pdf(work, 1)), visible_request(), signer);
    test::write_file(work.file("look.pdf"), out);
    // Flatten the widget onto the page with qpdf, then read the page text: the fonts carry ToUnicode maps.
    test::run_command("qpdf --flatten-annotations=all " + work.file("look.pdf") + " " + work.file("flat.pdf"));
    std::string text = test::run_command("pdftotext " + work.file("flat.pdf") + " -").output;
    EXPECT_NE(text.find("陳大文"), std::string::npos) << text;
    EXPECT_NE(text.find("Chan Tai Man"), std::string::npos) << text;
    EXPECT_NE(text.find("法務局"), std::string::npos) << text;
    EXPECT_NE(text.find("Asia/Macau"), std::string::npos) << text;
    // The QR code in the rendered appearance opens the verify page.
    test::run_command("pdftoppm -r 150 -f 1 -l 1 -png " + work.file("look.pdf") + " " + work.file("page"));
    std::string qr = test::run_command("zbarimg -q --raw " + work.file("page-1.png") + " 2>/dev/null").output;
    EXPECT_EQ(qr, "http://127.0.0.1:8080/verify?d=abc\n");
}

TEST_F(PadesTest, BadInputsGetClearErrorsAndNoOutput) {
    std::string gs = test::read_file(test::ghostscript_pdf(work, 1));
    EXPECT_EQ(test::error_code_of([&] { sign("not a pdf at all", visible_request(), signer); }), "pades.broken_pdf");
    EXPECT_EQ(test::error_code_of([&] { sign(gs.substr(0, gs.size() / 2), visible_request(), signer); }),
              "pades.broken_pdf");
    EXPECT_EQ(test::error_code_of([&] { sign(gs, visible_request(9), signer); }), "pades.bad_page");
    test::run_command("qpdf --encrypt user owner 256 -- " + test::ghostscript_pdf(work, 1) + " " + work.file("enc.pdf"));
    EXPECT_EQ(test::error_code_of([&] { sign(test::read_file(work.file("enc.pdf")), visible_request(), signer); }),
              "pades.encrypted");
    pades::SignatureRequest tiny = visible_request();
    tiny.dictionary.reserved_bytes = 100;
    EXPECT_EQ(test::error_code_of([&] { sign(gs, tiny, signer); }), "pades.contents_too_small");
}

// #17 fuzzing (pdf_prepare, corpus regression-object-number-reuse): a PDF whose xref stream repeats its keys made a new
// object take a number the file's trailer /Size already covers; the refusal was 500 "pades.internal", as if the fault
// were ours. It is the file's: 422 "pades.broken_pdf", and nothing is written.
TEST_F(PadesTest, PdfWhoseNewObjectWouldReuseAnObjectNumberIsRefusedAsBroken) {
    std::string input = test::read_file(std::string(YQ_SOURCE_DIR) +
                                        "/tests/fuzz/corpus/pdf_prepare/regression-object-number-reuse");
    pades::SignatureRequest r;  // as the fuzz target's first byte (1) chose: a rectangle on page 1
    r.placement.kind = pades::Placement::Kind::Rectangle;
    r.placement.x1 = 10, r.placement.y1 = 10, r.placement.x2 = 200, r.placement.y2 = 60;
    r.appearance.signer_name = "陳大文 Chan";
    r.dictionary.reserved_bytes = 64;
    EXPECT_EQ(test::error_code_of([&] { pades::prepare_signature(parsers(), input.substr(1), r); }), "pades.broken_pdf");
}
