#pragma once
// Signs PDFs for a signer: the key is used only through the CSC service (credentials/authorize with the signing
// password and OTP, SAD bound to the hash of the signed attributes, then signHash). Levels (EN 319 142-1 §6):
// B-B; B-T adds the signature time-stamp from our TSA; B-LT adds a DSS with the chain, the TSA and OCSP-responder
// certificates, the signer's OCSP response and the CRL; B-LTA adds a document time-stamp over all of it.
// Error style: throws yq::Error — "pades.*", "cms.*", and "accounts.*"/"csc.*" from the signing path.
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "accounts/account.hpp"
#include "pades/dss.hpp"
#include "pades/guide_document.hpp"
#include "pades/signature_preparer.hpp"
#include "pades/signature_records.hpp"
#include "pki/ca_store.hpp"
#include "pki/time_stamp_authority.hpp"
#include "signing/csc_service.hpp"

namespace yq::pades {

enum class Level { BB, BT, BLT, BLTA };
Level parse_level(const std::string& text);  // "B-B" | "B-T" | "B-LT" | "B-LTA"; throws 400 "pades.bad_level"
std::string level_name(Level level);
// "2026-11-25 22:15 (Asia/Macau)": the signing time as the appearance writes it, in office time.
std::string office_time_text(std::int64_t unix_seconds, const core::OfficeConfig& office);

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
    int certification = 0;  // DocMDP P value for a certification signature (1–3), 0 = approval signature
    std::string image;      // optional PNG/JPEG for the appearance (a handwritten signature)
    std::string client = "portal";  // as the transparency log records who asked (#18)
};

// A service of the CA that signs PDFs with its own HSM key (the validation service's signed reports, #18): its
// certificate chain (DER, end entity first) and the HSM operation that signs a SHA-256 digest (DER signature).
struct ServiceKey {
    std::vector<core::Bytes> chain;
    std::string signer_name;  // /Name of the signature
    std::function<core::Bytes(const core::Bytes& sha256)> sign_digest;
};

struct SignedPdf {
    std::string file;
    std::string reference;      // the id the QR code's verify link carries
    core::Bytes signed_digest;  // SHA-256 of the signature's byte ranges: what a validator recomputes from the file
    std::int64_t log_index = -1;  // the transparency log leaf recording the signature (#18)
};

class PadesService {
public:
    PadesService(const core::Config& config, signing::CscService& csc, accounts::AccountStore& accounts,
                 pki::TimeStampAuthority& tsa, pki::CaStore& ca_store, const core::Clock& clock,
                 SignatureRecordStore& records, FontFiles fonts = {})
        : m_config(config), m_csc(csc), m_accounts(accounts), m_tsa(tsa), m_ca_store(ca_store), m_clock(clock),
          m_records(records), m_fonts(std::move(fonts)), m_parsers(make_pdf_parsers()) {}

    static constexpr std::size_t kMaxBatch = 50;
    // Reports progress: (documents done, total, "prepared" | "signed").
    using Progress = std::function<void(std::size_t, std::size_t, const char*)>;

    SignedPdf sign_pdf(const std::string& pdf, const SignPdfRequest& request);
    // Up to 50 PDFs under one authorisation (one SAD bound to all their signed-attribute hashes).
    std::vector<SignedPdf> sign_pdfs(const std::vector<const std::string*>& pdfs, const SignPdfRequest& request,
                                     const Progress& progress);
    // CSC signatures/signDoc: the caller already holds a SAD authorised (SCAL2) for the SHA-256 of this document.
    SignedPdf sign_pdf_with_sad(const std::string& pdf, const SignPdfRequest& request, const std::string& sad);
    // A detached CAdES signature (.p7s, B-B or B-T) over content whose SHA-256 is given, authorised with the
    // request's signing password and OTP (SAD bound to that digest).
    core::Bytes sign_detached(const core::Bytes& content_sha256, const SignPdfRequest& request);
    // The same under a SAD the caller already holds (CSC signDoc).
    core::Bytes sign_detached_with_sad(const core::Bytes& content_sha256, const SignPdfRequest& request,
                                       const std::string& sad);

    // B-LT material for a signer certificate: our CA certificates, the signer's OCSP response, the latest CRL.
    ValidationMaterial validation_material(const std::string& signer_serial);
    // #16: one-page PDFs of a signature appearance, made by the PDF worker: what `account_id` would sign with now
    // (the signing page's preview, with the reason and location as typed, 240 × 90 points like the placed box), and
    // the given text (the verification guide's sample).
    std::string appearance_preview(const std::string& account_id, const std::string& reason, const std::string& location);
    std::string appearance_sample(const AppearanceText& text);
    // #16: the verification guide as a printable PDF (guide_document.hpp), with `sample` as its 簽署式樣.
    std::string verification_guide_pdf(const std::vector<GuideBlock>& blocks, const AppearanceText& sample,
                                       const std::string& footer);
    // #18: an invisible PAdES B-T approval signature with a service's own key (a signed validation report).
    std::string sign_with_service_key(const std::string& pdf, const ServiceKey& key, const std::string& reason);
    // #18: a text document laid out by the PDF worker (the blocks of guide_document.hpp, no figure needed).
    std::string text_document_pdf(const std::vector<GuideBlock>& blocks, const std::string& footer);
    // B-LTA: a document time-stamp (ETSI.RFC3161) over the whole file as it is.
    std::string add_document_timestamp(const std::string& pdf);

private:
    // Signs the to-be-signed digests with the given algorithm and credential; returns the signature values in order,
    // with their transparency log leaves.
    using BatchSigner = std::function<signing::SignedHashes(const std::vector<core::Bytes>& tbs,
                                                               const std::string& sign_algo,
                                                               const std::string& credential_id)>;
    BatchSigner password_signer(const SignPdfRequest& request);
    std::vector<SignedPdf> sign_many(const std::vector<const std::string*>& pdfs, const SignPdfRequest& request,
                                     const BatchSigner& signer, const Progress& progress);
    std::string active_credential(const SignPdfRequest& request);
    // The credential's certificate chain (end entity first), the CA certificates for the CMS, and the signer's serial.
    struct SignerChain {
        std::vector<pki::X509Ptr> certificates;
        std::vector<X509*> extra;
        std::string serial;
        X509* signer() const { return certificates.front().get(); }
    };
    SignerChain signer_chain(const std::string& account_id, const std::string& credential_id);
    core::Bytes with_level(core::Bytes cms_der, Level level);

    const core::Config& m_config;
    signing::CscService& m_csc;
    accounts::AccountStore& m_accounts;
    pki::TimeStampAuthority& m_tsa;
    pki::CaStore& m_ca_store;
    const core::Clock& m_clock;
    SignatureRecordStore& m_records;  // each PDF signature's public record, with its audit event
    FontFiles m_fonts;
    std::shared_ptr<PdfParsers> m_parsers;  // the PDF worker processes (pades/pdf_jobs.hpp)
};

}  // namespace yq::pades
