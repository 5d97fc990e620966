#pragma once
// The jobs the PDF worker executable (apps/yunqian_pdf_worker.cpp) runs on untrusted PDFs, by name, and the pool of
// worker processes that runs them for the server (core/isolated_worker.hpp: exec'd, unprivileged, seccomp-filtered,
// nothing of the server's memory, descriptors or environment). Each job's input and result are bytes; the encoding
// of a job's input lives beside the code that builds it (signature_preparer.cpp, dss.cpp, signature_reader.cpp,
// appearance_sample.cpp).
// Error style: a job throws yq::Error "pades.*" (it reaches the caller as thrown; a PoDoFo error any job lets escape
// is translated here, pades/podofo_document.hpp throw_pdf_error); an unknown job is 500 "pades.unknown_job".
#include <memory>
#include <string>
#include <string_view>

#include "core/isolated_worker.hpp"
#include "core/isolation.hpp"

namespace yq::pades {

inline constexpr std::string_view kReadSignedPdfJob = "pdf.read";       // signature_reader.cpp
inline constexpr std::string_view kPrepareSignatureJob = "pdf.prepare";  // signature_preparer.cpp
inline constexpr std::string_view kAddValidationDataJob = "pdf.add-dss";  // dss.cpp

inline constexpr const char* kPdfWorkerExecutable = "yunqian-pdf-worker";

using PdfParsers = core::IsolatedWorkerPool;

// Runs one job in this process: in the worker executable, or in the caller when isolation is disabled.
std::string run_pdf_job(std::string_view job, const std::string& input);

// Worker processes of the executable beside the running one, started when first needed.
std::shared_ptr<PdfParsers> make_pdf_parsers(const core::IsolationLimits& limits = {}, int workers = 2);

namespace detail {
// The jobs themselves, each defined in the file that encodes its input.
std::string read_signed_pdf_job(const std::string& pdf);
std::string prepare_signature_job(const std::string& input);
std::string add_validation_data_job(const std::string& input);
}  // namespace detail

}  // namespace yq::pades
