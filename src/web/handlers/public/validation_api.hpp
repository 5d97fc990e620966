#pragma once
// POST /api/v1/validate: anyone may validate a signed file; nothing is kept. The body is a PDF (application/pdf), a
// CMS signature file (enveloping; application/pkcs7-signature or octet-stream), or multipart/form-data with `file`
// and, for a detached signature, `content`. The report comes back as JSON (default), as HTML to a browser, as the ETSI
// TS 119 102-2 XML (?report=etsi) or as a PDF (?report=pdf); with ?signed=true it is signed by the validation
// service's HSM key (JWS, XAdES-B-B or PAdES, #18).
#include "core/clock.hpp"
#include "pades/pades_service.hpp"
#include "validation/cms_validator.hpp"
#include "validation/pdf_validator.hpp"
#include "validation/signed_report.hpp"
#include "web/router.hpp"

namespace yq::web {

// What the validation API uses; the route keeps a reference to it, so it lives as long as the server.
struct ValidationApiServices {
    const validation::PdfValidator& pdf;
    const validation::CmsValidator& cms;
    validation::ReportSigner& signer;
    pades::PadesService& pades;  // the printed report
    const core::Clock& clock;
};

void register_validation_api(Router& router, const ValidationApiServices& s);

}  // namespace yq::web
