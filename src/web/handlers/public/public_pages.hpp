#pragma once
// The public site: home (what the service is, office hours and contact), how an agency registers (documents per
// step, from the configured checklists), appointment booking / look-up / cancellation, the verify page, the
// repository of CA certificates and CRLs, a signature's public record (what its QR code opens), the language switch
// and the static files.
#include "core/clock.hpp"
#include "core/config.hpp"
#include "pades/pades_service.hpp"
#include "transparency/signing_log.hpp"
#include "pades/signature_records.hpp"
#include "pki/certificate_authority.hpp"
#include "ra/appointments.hpp"
#include "ra/office_calendar.hpp"
#include "validation/pdf_validator.hpp"
#include "web/router.hpp"
#include "web/ui/attempt_limiter.hpp"
#include "web/ui/page_renderer.hpp"

namespace yq::web {

struct PublicPageServices {
    const core::Config& config;
    const ra::OfficeCalendar& calendar;
    ra::AppointmentBook& appointments;
    const validation::PdfValidator& validator;
    pki::CertificateAuthority& ca;  // the root's fingerprint and the repository's certificates
    const PageRenderer& pages;
    const core::Clock& clock;
    AttemptLimiter& bookings;  // per client address
    pades::SignatureRegister& signatures;  // what a signature's QR code opens (/verify?ref=…)
    pades::PadesService& pades;            // the verification guide's sample appearance
    transparency::SigningLog& log;         // a record's leaf and its inclusion proof (#18)
};

void register_public_pages(Router& router, const PublicPageServices& s);
// What every page needs, on every listener that serves pages: the language switch and the static files (with pdf.js
// from `pdfjs_dir`).
void register_page_assets(Router& router, const PageRenderer& pages, const std::string& pdfjs_dir);

}  // namespace yq::web
