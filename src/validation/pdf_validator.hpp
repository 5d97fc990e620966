#pragma once
// Validates every signature and document time-stamp of a PDF: byte-range coverage, digest, signature cryptography,
// the signer's chain to the trust anchors at the time of the time-stamp (or now), key usage, the signature
// time-stamp, revocation from a source the caller gives (our CA's records), and the PAdES level reached.
// Error style: never throws for a bad document — what could not be checked is in the report.
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "core/bytes.hpp"
#include "core/isolation.hpp"
#include "pades/signature_reader.hpp"
#include "pki/openssl_ptr.hpp"
#include "validation/checks.hpp"
#include "validation/report.hpp"

namespace yq::validation {

class PdfValidator {
public:
    // `anchors`: trusted roots (DER). `revocation`: our CA's answer when the file carries no fresh evidence, may be empty.
    PdfValidator(std::vector<core::Bytes> anchors, RevocationSource revocation,
                 core::IsolationLimits limits = {})
        : m_anchors(std::move(anchors)), m_revocation(std::move(revocation)), m_reader(limits) {}

    Report validate(const std::string& pdf) const;

private:
    std::vector<core::Bytes> m_anchors;
    RevocationSource m_revocation;
    pades::SignedPdfReader m_reader;  // long-lived isolated parsers, shared by copies of this validator
};

}  // namespace yq::validation
