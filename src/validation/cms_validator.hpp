#pragma once
// Validates a CMS signature file (.p7s): detached (with the signed file given) or enveloping (the content inside), with
// the same checks as a PDF signature, and the CAdES level reached (B-B; B-T with a signature time-stamp; B-LT with
// certificate- and revocation-values).
#include <optional>
#include <string>
#include <vector>

#include "core/bytes.hpp"
#include "validation/checks.hpp"
#include "validation/report.hpp"

namespace yq::validation {

class CmsValidator {
public:
    CmsValidator(std::vector<core::Bytes> anchors, RevocationSource revocation)
        : m_anchors(std::move(anchors)), m_revocation(std::move(revocation)) {}

    Report validate(const core::Bytes& signature, const std::optional<std::string>& content) const;

private:
    std::vector<core::Bytes> m_anchors;
    RevocationSource m_revocation;
};

}  // namespace yq::validation
