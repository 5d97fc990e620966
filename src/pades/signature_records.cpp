#include "pades/signature_records.hpp"

#include <nlohmann/json.hpp>

namespace yq::pades {

std::optional<PublicSignatureRecord> SignatureRegister::find(const std::string& reference) {
    // references are what random_token makes (URL-safe base64); anything else is not ours and is not looked up
    if (reference.empty() || reference.size() > 64 ||
        reference.find_first_not_of("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_") != std::string::npos)
        return std::nullopt;
    auto record = m_records.signature_by_reference(reference);
    if (!record) return std::nullopt;
    PublicSignatureRecord out;
    out.record = *record;
    if (auto account = m_accounts.account_by_id(record->account_id)) {
        out.signer_name = account->display_name;
        out.agency = account->agency;
        out.title = account->title;
    }
    out.certificate_status = "valid";
    if (auto cert = m_ca_store.find_certificate(record->certificate_serial)) {
        out.certificate_not_after = cert->not_after;
        if (cert->status == "revoked") {
            out.certificate_status = "revoked";
            out.revoked_at = cert->revoked_at.value_or(0);
            out.revocation_reason = cert->reason;
        } else if (cert->not_after < m_clock.unix_seconds()) {
            out.certificate_status = "expired";
        }
    }
    return out;
}

std::vector<SignedDocument> SignatureRegister::signed_by(const std::string& username, int limit) {
    audit::EventFilter filter;
    filter.object = "account:" + username;
    filter.action = "document.signed";
    filter.limit = limit;
    std::vector<SignedDocument> out;
    for (const auto& e : m_audit.search_events(filter)) {
        auto details = nlohmann::json::parse(e.event.details, nullptr, false);
        if (details.is_discarded() || !details.is_object()) continue;
        out.push_back({e.event.time, details.value("level", ""), details.value("reference", ""),
                       details.value("signed_digest", "")});
    }
    return out;
}

}  // namespace yq::pades
