// libFuzzer: arbitrary bytes as a file to validate (the input path of `yunqian verify` and POST /api/v1/validate).
// The first byte picks PDF or CMS validation. Any input must give a report — never a crash, never an exception.
#include <cstdlib>
#include <iostream>

#include "validation/cms_validator.hpp"
#include "validation/pdf_validator.hpp"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
    if (size < 1) return 0;
    // In process (no isolated worker), so libFuzzer sees the parser's coverage; the server isolates it.
    static const yq::validation::PdfValidator pdf({}, nullptr, [] {
        yq::core::IsolationLimits in_process;
        in_process.enabled = false;
        return in_process;
    }());
    static const yq::validation::CmsValidator cms({}, nullptr);
    try {
        if (data[0] & 1) {
            (void)pdf.validate(std::string(reinterpret_cast<const char*>(data + 1), size - 1));
        } else {
            std::string half(reinterpret_cast<const char*>(data + 1), (size - 1) / 2);
            (void)cms.validate(yq::core::Bytes(data + 1 + half.size(), data + size), half);
        }
    } catch (const std::exception& e) {
        std::cerr << "validation threw: " << e.what() << "\n";
        std::abort();
    }
    return 0;
}
