// libFuzzer: arbitrary bytes as the PDF to sign (the untrusted input path of `sign pdf` and signDoc): preparing the
// signature must either work or throw a yq::Error with a 4xx status — never crash, hang or throw anything else.
// The first byte picks the placement (invisible, a rectangle on page 1, the field "Approval").
#include <cstdlib>
#include <iostream>

#include "core/error.hpp"
#include "pades/signature_preparer.hpp"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
    // in this process, so that libFuzzer sees the parser's crashes and coverage
    static const auto parsers = yq::pades::make_pdf_parsers(yq::core::IsolationLimits{false});
    if (size < 1) return 0;
    yq::pades::SignatureRequest r;
    switch (data[0] % 3) {
        case 0: r.placement.kind = yq::pades::Placement::Kind::Invisible; break;
        case 1:
            r.placement.kind = yq::pades::Placement::Kind::Rectangle;
            r.placement.x1 = 10, r.placement.y1 = 10, r.placement.x2 = 200, r.placement.y2 = 60;
            break;
        default:
            r.placement.kind = yq::pades::Placement::Kind::Field;
            r.placement.field_name = "Approval";
    }
    r.appearance.signer_name = "陳大文 Chan";
    r.dictionary.reserved_bytes = 64;
    std::string pdf(reinterpret_cast<const char*>(data + 1), size - 1);
    try {
        auto prepared = yq::pades::prepare_signature(*parsers, pdf, r);
        (void)yq::pades::finish_signature(std::move(prepared), {0x30, 0x00});
    } catch (const yq::Error& e) {
        if (e.http_status() >= 500) {
            std::cerr << "5xx for bad input: " << e.code() << " " << e.what() << "\n";
            std::abort();
        }
    }
    return 0;
}
