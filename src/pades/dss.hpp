#pragma once
// B-LT: the Document Security Store (ISO 32000-2 §12.8.4.3, Tables 261–262) added in its own incremental update:
// /Certs, /OCSPs and /CRLs as arrays of streams (one DER object each), and a /VRI entry for the signature, keyed by
// the upper-case hex SHA-1 of its /Contents (zero padding included). An existing DSS is extended, never replaced.
// Error style: throws yq::Error "pades.*".
#include <string>
#include <string_view>
#include <vector>

#include "core/bytes.hpp"
#include "pades/pdf_jobs.hpp"

namespace yq::pades {

struct ValidationMaterial {
    std::vector<core::Bytes> certificates;  // DER
    std::vector<core::Bytes> ocsp_responses;  // complete OCSPResponse DER
    std::vector<core::Bytes> crls;  // DER
};

// Adds `material` for the last signature in `pdf` and returns the updated file; `parsers` (the PDF worker,
// pades/pdf_jobs.hpp) parses the file.
std::string add_validation_material(PdfParsers& parsers, const std::string& pdf, const ValidationMaterial& material);

// The /Contents bytes (decoded, padding included) of the signature whose dictionary is the last one in `pdf`.
core::Bytes last_signature_contents(std::string_view pdf);

}  // namespace yq::pades
