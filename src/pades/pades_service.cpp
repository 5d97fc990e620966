#include "pades/pades_service.hpp"

#include <openssl/x509.h>

#include <memory>

#include "cms/cades_signature.hpp"
#include "core/error.hpp"
#include "pades/appearance_sample.hpp"

namespace yq::pades {

Level parse_level(const std::string& text) {
    if (text == "B-B") return Level::BB;
    if (text == "B-T") return Level::BT;
    if (text == "B-LT") return Level::BLT;
    if (text == "B-LTA") return Level::BLTA;
    throw_bad_input("pades.bad_level", "the level must be B-B, B-T, B-LT or B-LTA");
}

std::string level_name(Level level) {
    switch (level) {
        case Level::BB: return "B-B";
        case Level::BT: return "B-T";
        case Level::BLT: return "B-LT";
        case Level::BLTA: return "B-LTA";
    }
    return "?";
}

namespace {

// The subject's title (OID 2.5.4.12), as put into signer certificates.
std::string subject_title(X509* cert) {
    X509_NAME* name = X509_get_subject_name(cert);
    int i = X509_NAME_get_index_by_NID(name, NID_title, -1);
    if (i < 0) return {};
    unsigned char* utf8 = nullptr;
    int len = ASN1_STRING_to_UTF8(&utf8, X509_NAME_ENTRY_get_data(X509_NAME_get_entry(name, i)));
    if (len < 0) return {};
    std::string out(reinterpret_cast<char*>(utf8), static_cast<std::size_t>(len));
    OPENSSL_free(utf8);
    return out;
}

}  // namespace

std::string office_time_text(std::int64_t unix_seconds, const core::OfficeConfig& office) {
    std::time_t t = static_cast<std::time_t>(unix_seconds + office.utc_offset_minutes * 60);
    std::tm tm{};
    gmtime_r(&t, &tm);
    char buf[64];
    std::strftime(buf, sizeof buf, "%Y-%m-%d %H:%M", &tm);
    return std::string(buf) + " (" + office.timezone_name + ")";
}

std::string PadesService::active_credential(const SignPdfRequest& r) {
    std::string credential_id = r.credential_id;
    if (credential_id.empty())
        for (const auto& c : m_accounts.credentials_of(r.account_id))
            if (c.status == "active") credential_id = c.id;
    if (credential_id.empty()) throw_conflict("accounts.no_credential", "the account has no active credential");
    return credential_id;
}

PadesService::SignerChain PadesService::signer_chain(const std::string& account_id, const std::string& credential_id) {
    signing::CredentialInfo info = m_csc.credential_info(account_id, credential_id);
    if (info.chain.empty()) throw Error("pades.no_certificate", 500, "the credential has no certificate");
    SignerChain chain;
    for (const auto& der : info.chain) chain.certificates.push_back(pki::certificate_from_der(der));
    for (std::size_t i = 1; i < chain.certificates.size(); ++i) chain.extra.push_back(chain.certificates[i].get());
    chain.serial = pki::serial_hex(X509_get0_serialNumber(chain.signer()));  // the CA's own serial format
    return chain;
}

core::Bytes PadesService::with_level(core::Bytes cms_der, Level level) {
    if (level == Level::BB) return cms_der;
    return cms::add_signature_timestamp(cms_der, [&](const core::Bytes& h) { return m_tsa.stamp_hash(h, "sha256", ""); });
}

PadesService::BatchSigner PadesService::password_signer(const SignPdfRequest& r) {
    return [this, &r](const std::vector<core::Bytes>& tbs, const std::string& algo, const std::string& credential_id) {
        // SCAL2: one SAD bound to exactly these hashes (the signed attributes, which bind each document's digest).
        signing::AuthorizeRequest auth;
        auth.credential_id = credential_id;
        auth.num_signatures = static_cast<int>(tbs.size());
        auth.hashes = tbs;
        auth.hash_algorithm_oid = cms::kSha256Oid;
        auth.pin = r.signing_password;
        auth.otp = r.otp;
        signing::SadGrant sad = m_csc.authorize(r.account_id, auth);
        signing::SignHashRequest sign;
        sign.credential_id = credential_id;
        sign.sad = sad.sad;
        sign.hashes = tbs;
        sign.hash_algorithm_oid = cms::kSha256Oid;
        sign.sign_algo = algo;
        sign.client = r.client;
        return m_csc.sign_hashes(r.account_id, sign);
    };
}

SignedPdf PadesService::sign_pdf(const std::string& pdf, const SignPdfRequest& r) {
    return sign_many({&pdf}, r, password_signer(r), nullptr).at(0);
}

std::vector<SignedPdf> PadesService::sign_pdfs(const std::vector<const std::string*>& pdfs, const SignPdfRequest& r,
                                               const Progress& progress) {
    if (pdfs.empty()) throw_bad_input("pades.no_documents", "give at least one PDF");
    if (pdfs.size() > kMaxBatch)
        throw_bad_input("pades.batch_too_large", "at most " + std::to_string(kMaxBatch) + " documents under one authorisation");
    return sign_many(pdfs, r, password_signer(r), progress);
}

SignedPdf PadesService::sign_pdf_with_sad(const std::string& pdf, const SignPdfRequest& r, const std::string& sad) {
    core::Bytes document_digest = core::sha256(pdf);
    BatchSigner signer = [&](const std::vector<core::Bytes>& tbs, const std::string& algo, const std::string& credential_id) {
        signing::SignHashRequest sign;
        sign.credential_id = credential_id;
        sign.sad = sad;
        sign.hashes = tbs;
        sign.hash_algorithm_oid = cms::kSha256Oid;
        sign.sign_algo = algo;
        sign.authorised_documents = {document_digest};
        sign.client = r.client;
        return m_csc.sign_hashes(r.account_id, sign);
    };
    return sign_many({&pdf}, r, signer, nullptr).at(0);
}

core::Bytes PadesService::sign_detached(const core::Bytes& content_sha256, const SignPdfRequest& r) {
    if (r.level == Level::BLTA)
        throw_bad_input("pades.bad_level", "detached CAdES signatures are offered at B-B, B-T and B-LT");
    signing::AuthorizeRequest auth;
    auth.credential_id = active_credential(r);
    auth.num_signatures = 1;
    auth.hashes = {content_sha256};
    auth.hash_algorithm_oid = cms::kSha256Oid;
    auth.pin = r.signing_password;
    auth.otp = r.otp;
    SignPdfRequest with_credential = r;
    with_credential.credential_id = auth.credential_id;
    return sign_detached_with_sad(content_sha256, with_credential, m_csc.authorize(r.account_id, auth).sad);
}

core::Bytes PadesService::sign_detached_with_sad(const core::Bytes& content_sha256, const SignPdfRequest& r,
                                                 const std::string& sad) {
    if (r.level == Level::BLTA)
        throw_bad_input("pades.bad_level", "detached CAdES signatures are offered at B-B, B-T and B-LT");
    std::string credential_id = active_credential(r);
    SignerChain chain = signer_chain(r.account_id, credential_id);
    cms::CadesSignature cades(chain.signer(), chain.extra, content_sha256);
    signing::SignHashRequest sign;
    sign.credential_id = credential_id;
    sign.sad = sad;
    sign.hashes = {cades.to_be_signed_digest()};
    sign.hash_algorithm_oid = cms::kSha256Oid;
    sign.sign_algo = cades.signature_algorithm_oid();
    sign.authorised_documents = {content_sha256};
    sign.client = r.client;
    core::Bytes der = with_level(cades.finish(m_csc.sign_hash(r.account_id, sign).at(0)), r.level);
    if (r.level == Level::BLT) {
        ValidationMaterial m = validation_material(chain.serial);
        der = cms::add_validation_values(der, m.certificates, m.crls, m.ocsp_responses);
    }
    m_records.record_event(audit::Event{"csc:" + r.account_id, "document.signed", "credential:" + credential_id,
                                      audit::details({{"format", "CAdES detached"},
                                                      {"content_sha256", core::hex_encode(content_sha256)}}),
                                      m_clock.unix_seconds()});
    return der;
}

std::vector<SignedPdf> PadesService::sign_many(const std::vector<const std::string*>& pdfs, const SignPdfRequest& r,
                                               const BatchSigner& signer, const Progress& progress) {
    auto account = m_accounts.account_by_id(r.account_id);
    if (!account) throw Error("accounts.unknown_account", 401, "the account no longer exists");
    std::string credential_id = active_credential(r);
    SignerChain chain = signer_chain(r.account_id, credential_id);
    std::string title = subject_title(chain.signer());
    auto report = [&](std::size_t done, const char* stage) {
        if (progress) progress(done, pdfs.size(), stage);
    };

    // 1. every document prepared (untrusted parsing isolated), its signed attributes built
    std::int64_t now = m_clock.unix_seconds();
    std::vector<SignedPdf> out(pdfs.size());
    std::vector<PreparedSignature> prepared;
    std::vector<std::unique_ptr<cms::CadesSignature>> cades;
    std::vector<core::Bytes> tbs;
    for (std::size_t i = 0; i < pdfs.size(); ++i) {
        out[i].reference = core::random_token(12);
        SignatureRequest request;
        request.placement = r.placement;
        request.fonts = m_fonts;
        request.dictionary.signing_time = pdf_date(now, m_config.office.utc_offset_minutes);  // PAdES: claimed time in /M
        request.dictionary.name = account->display_name;
        request.dictionary.reason = r.reason;
        request.dictionary.location = r.location;
        request.dictionary.reserved_bytes = r.reserved_bytes;
        request.certification = r.certification;
        request.appearance = AppearanceText{account->display_name,
                                            account->agency,
                                            title,
                                            office_time_text(now, m_config.office),
                                            r.reason,
                                            r.location,
                                            m_config.ca.base_url + "/verify?ref=" + out[i].reference,
                                            r.image};
        prepared.push_back(prepare_signature(*m_parsers, *pdfs[i], request));
        out[i].signed_digest = prepared.back().digest;
        cades.push_back(std::make_unique<cms::CadesSignature>(chain.signer(), chain.extra, prepared.back().digest));
        tbs.push_back(cades.back()->to_be_signed_digest());
        report(i + 1, "prepared");
    }
    // 2. one authorisation and one signHash for all of them
    signing::SignedHashes signed_hashes = signer(tbs, cades.front()->signature_algorithm_oid(), credential_id);
    const std::vector<core::Bytes>& signatures = signed_hashes.signatures;
    if (signatures.size() != pdfs.size() || signed_hashes.log_indexes.size() != pdfs.size())
        throw Error("pades.internal", 500, "the signer returned the wrong number of signatures");
    // 3. each document finished to its level
    for (std::size_t i = 0; i < pdfs.size(); ++i) {
        out[i].file = finish_signature(std::move(prepared[i]), with_level(cades[i]->finish(signatures[i]), r.level));
        if (r.level == Level::BLT || r.level == Level::BLTA)
            out[i].file = add_validation_material(*m_parsers, out[i].file, validation_material(chain.serial));
        if (r.level == Level::BLTA) out[i].file = add_document_timestamp(out[i].file);
        out[i].log_index = signed_hashes.log_indexes[i];
        m_records.record_signature(
            SignatureRecord{out[i].reference, r.account_id, credential_id, chain.serial, out[i].signed_digest,
                            level_name(r.level), now, out[i].log_index},
            audit::Event{"self:" + r.account_id, "document.signed", "account:" + account->username,
                         audit::details({{"reference", out[i].reference},
                                         {"level", level_name(r.level)},
                                         {"credential", credential_id},
                                         {"signed_digest", core::hex_encode(out[i].signed_digest)}}),
                         now});
        report(i + 1, "signed");
    }
    return out;
}

std::string PadesService::appearance_preview(const std::string& account_id, const std::string& reason,
                                             const std::string& location) {
    auto account = m_accounts.account_by_id(account_id);
    if (!account) throw Error("accounts.unknown_account", 401, "the account no longer exists");
    AppearanceText text{account->display_name, account->agency, account->title,
                        office_time_text(m_clock.unix_seconds(), m_config.office), reason, location,
                        m_config.ca.base_url + "/verify?ref=", {}};
    return sample_appearance_pdf(*m_parsers, text, m_fonts, 240, 90);
}

std::string PadesService::appearance_sample(const AppearanceText& text) {
    return sample_appearance_pdf(*m_parsers, text, m_fonts);
}

std::string PadesService::sign_with_service_key(const std::string& pdf, const ServiceKey& key, const std::string& reason) {
    if (key.chain.empty()) throw Error("pades.no_certificate", 500, "the service key has no certificate");
    std::vector<pki::X509Ptr> chain;
    for (const auto& der : key.chain) chain.push_back(pki::certificate_from_der(der));
    std::vector<X509*> extra;
    for (std::size_t i = 1; i < chain.size(); ++i) extra.push_back(chain[i].get());
    SignatureRequest request;
    request.placement.kind = Placement::Kind::Invisible;
    request.fonts = m_fonts;
    request.dictionary.signing_time = pdf_date(m_clock.unix_seconds(), m_config.office.utc_offset_minutes);
    request.dictionary.name = key.signer_name;
    request.dictionary.reason = reason;
    PreparedSignature prepared = prepare_signature(*m_parsers, pdf, request);
    cms::CadesSignature cades(chain.front().get(), extra, prepared.digest);
    core::Bytes der = with_level(cades.finish(key.sign_digest(cades.to_be_signed_digest())), Level::BT);
    return finish_signature(std::move(prepared), der);
}

std::string PadesService::text_document_pdf(const std::vector<GuideBlock>& blocks, const std::string& footer) {
    // the guide's layout; its appearance figure is not asked for by these blocks
    AppearanceText unused{"", "", "", "", "", "", "", {}};
    return guide_document_pdf(*m_parsers, blocks, unused, m_fonts, footer);
}

std::string PadesService::verification_guide_pdf(const std::vector<GuideBlock>& blocks, const AppearanceText& sample,
                                                 const std::string& footer) {
    return guide_document_pdf(*m_parsers, blocks, sample, m_fonts, footer);
}

ValidationMaterial PadesService::validation_material(const std::string& signer_serial) {
    ValidationMaterial m;
    for (const char* name : {"root", "issuing", "tsa", "ocsp"})
        if (auto material = m_ca_store.ca_material(name)) m.certificates.push_back(material->certificate_der);
    if (auto cert = m_ca_store.find_certificate(signer_serial)) m.certificates.insert(m.certificates.begin(), cert->der);
    if (auto ocsp = m_ca_store.ocsp_response(signer_serial)) m.ocsp_responses.push_back(ocsp->der);
    if (auto crl = m_ca_store.latest_crl()) m.crls.push_back(crl->der);
    if (m.ocsp_responses.empty() && m.crls.empty())
        throw Error("pades.no_revocation_data", 503, "no OCSP response or CRL is available yet for B-LT; publish a CRL first");
    return m;
}

std::string PadesService::add_document_timestamp(const std::string& pdf) {
    SignatureRequest request;
    request.placement.kind = Placement::Kind::Invisible;
    request.dictionary.type = "DocTimeStamp";  // ISO 32000-2 §12.8.5: no /M, no /Reason; the token is the proof
    request.dictionary.sub_filter = "ETSI.RFC3161";
    request.dictionary.reserved_bytes = 12288;
    PreparedSignature prepared = prepare_signature(*m_parsers, pdf, request);
    core::Bytes token = m_tsa.stamp_hash(prepared.digest, "sha256", "");
    return finish_signature(std::move(prepared), token);
}

}  // namespace yq::pades
