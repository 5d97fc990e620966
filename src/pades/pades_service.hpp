#pragma once
// Signs PDFs for a signer: the key is used only through the CSC service (credentials/authorize with the signing
// password and OTP, SAD bound to the hash of the signed attributes, then signHash). Levels: B-B, B-T (signature
// time-stamp from our TSA). The output is written only when complete.
// Error style: throws yq::Error — "pades.*", "cms.*", and "accounts.*"/"csc.*" from the signing path.
#include <string>

#include "accounts/account.hpp"
#include "pades/signature_preparer.hpp"
#include "pki/time_stamp_authority.hpp"
#include "signing/csc_service.hpp"

namespace yq::pades {

enum class Level { BB, BT };
Level parse_level(const std::string& text);  // "B-B" | "B-T"; throws 400 "pades.bad_level"
std::string level_name(Level level);

struct SignPdfRequest {
    std::string account_id;
    std::string credential_id;  // empty: the account's active credential
    core::SecureString signing_password;
    std::string otp;
    Level level = Level::BT;
    Placement placement;
    std::string reason;
    std::string location;
    std::size_t reserved_bytes = 24576;
};

struct SignedPdf {
    std::string file;
    std::string reference;      // the id the QR code's verify link carries
    core::Bytes sha256;         // of the output
};

class PadesService {
public:
    PadesService(const core::Config& config, signing::CscService& csc, accounts::AccountStore& accounts,
                 pki::TimeStampAuthority& tsa, const core::Clock& clock, audit::EventRecorder& audit, FontFiles fonts = {})
        : m_config(config), m_csc(csc), m_accounts(accounts), m_tsa(tsa), m_clock(clock), m_audit(audit),
          m_fonts(std::move(fonts)) {}

    SignedPdf sign_pdf(const std::string& pdf, const SignPdfRequest& request);

private:
    const core::Config& m_config;
    signing::CscService& m_csc;
    accounts::AccountStore& m_accounts;
    pki::TimeStampAuthority& m_tsa;
    const core::Clock& m_clock;
    audit::EventRecorder& m_audit;
    FontFiles m_fonts;
};

}  // namespace yq::pades
