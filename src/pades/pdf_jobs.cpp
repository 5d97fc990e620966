#include "pades/pdf_jobs.hpp"

#include "core/error.hpp"
#include "pades/appearance_sample.hpp"
#include "pades/guide_document.hpp"
#include "pades/podofo_document.hpp"

namespace yq::pades {

std::string run_pdf_job(std::string_view job, const std::string& input) {
    try {
        if (job == kReadSignedPdfJob) return detail::read_signed_pdf_job(input);
        if (job == kPrepareSignatureJob) return detail::prepare_signature_job(input);
        if (job == kAddValidationDataJob) return detail::add_validation_data_job(input);
        if (job == kSampleAppearanceJob) return detail::sample_appearance_job(input);
        if (job == kGuideDocumentJob) return detail::guide_document_job(input);
    } catch (const PoDoFo::PdfError& e) {  // any job: a broken object PoDoFo finds after loading
        throw_pdf_error(e);
    }
    throw_internal("pades.unknown_job", "the PDF worker has no job named " + std::string(job));
}

std::shared_ptr<PdfParsers> make_pdf_parsers(const core::IsolationLimits& limits, int workers) {
    core::WorkerCommand command{limits.enabled ? core::sibling_executable(kPdfWorkerExecutable) : std::string(),
                                run_pdf_job};
    return std::make_shared<PdfParsers>(std::move(command), limits, "pades.limits_exceeded", "the PDF", workers);
}

}  // namespace yq::pades
