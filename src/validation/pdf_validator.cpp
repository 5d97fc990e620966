#include "validation/pdf_validator.hpp"

#include <openssl/cms.h>
#include <openssl/err.h>
#include <openssl/ts.h>
#include <openssl/x509.h>
#include <openssl/x509v3.h>

#include <algorithm>
#include <ctime>
#include <future>

#include "core/bytes.hpp"
#include "core/clock.hpp"
#include "core/error.hpp"
#include "pades/signature_reader.hpp"
#include "validation/checks.hpp"
#include "validation/revocation_evidence.hpp"

namespace yq::validation {

namespace {

// ISO 32000-2 §12.8.2.2.2: what a certification signature's /P permits after it — DSS and document time-stamps
// always (§12.8.4.3, §12.8.5); 2: also filling in forms and signing; 3: also annotations.
std::vector<std::string> docmdp_violations(int permissions, const pades::LaterChanges& later) {
    std::vector<std::string> out;
    if (permissions == 1) {
        if (later.signatures_added > 0) out.push_back("a signature was added");
        for (const auto& f : later.form_fields) out.push_back(f);
    }
    if (permissions <= 2)
        for (const auto& a : later.annotations) out.push_back(a);
    return out;
}

}  // namespace

Report PdfValidator::validate(const std::string& pdf) const {
    Report report;
    report.validation_time = core::to_rfc3339(core::SystemClock().unix_seconds());
    // the file's hash is computed here while the isolated worker parses the file on the other core (the workers were
    // forked when the validator was made: no fork happens beside this thread)
    auto file_hash = std::async(std::launch::async, [&pdf] { return core::hex_encode(core::sha256(pdf)); });
    pades::SignedPdfView file;
    try {
        file = m_reader.read(pdf);
    } catch (const Error& e) {
        report.file_sha256 = file_hash.get();
        report.problem = std::string(e.what()) + " [" + e.code() + "]";
        return report;
    }
    report.file_sha256 = file_hash.get();
    auto& found = file.signatures;
    // in the order they were made: by where their signed range ends
    std::sort(found.begin(), found.end(), [](const auto& x, const auto& y) {
        auto end = [](const pades::EmbeddedSignature& e) { return e.byte_range.size() == 4 ? e.byte_range[2] + e.byte_range[3] : 0; };
        return end(x) < end(y);
    });
    EmbeddedEvidence dss{file.dss.certificates, file.dss.ocsp_responses, file.dss.crls};
    const std::int64_t size = static_cast<std::int64_t>(pdf.size());
    const std::string_view bytes(pdf);

    for (std::size_t i = 0; i < found.size(); ++i) {
        const auto& e = found[i];
        SignatureReport s;
        s.field = e.field_name;
        s.kind = e.document_timestamp ? "document time-stamp" : e.docmdp_permissions ? "certification signature" : "signature";
        s.sub_filter = e.sub_filter;
        s.claimed_time = e.claimed_time;
        auto fail = [&](const char* indication, const char* sub, Detail why) {
            s.indication = indication;
            s.sub_indication = sub;
            s.details.push_back(std::move(why));
        };
        // ISO 32000-2 §12.8.1: [0 a b c], the gap is exactly the <…> of /Contents
        const auto& br = e.byte_range;
        std::int64_t a = br.size() == 4 ? br[1] : -1, b = br.size() == 4 ? br[2] : -1, c = br.size() == 4 ? br[3] : -1;
        core::Bytes contents;
        bool framed = br.size() == 4 && br[0] == 0 && a > 0 && b > a + 1 && c >= 0 && b + c <= size &&
                      pdf[static_cast<std::size_t>(a)] == '<' && pdf[static_cast<std::size_t>(b - 1)] == '>';
        if (framed) {
            try {  // what is signed is defined by the file's bytes: the hex string in the gap
                contents = core::hex_decode(pdf.substr(static_cast<std::size_t>(a + 1), static_cast<std::size_t>(b - a - 2)));
            } catch (const Error&) {
                framed = false;
            }
        }
        if (framed) {  // the gap must be the value of a /Contents key, not some other hex string
            std::size_t k = static_cast<std::size_t>(a);
            while (k > 0 && std::isspace(static_cast<unsigned char>(pdf[k - 1]))) --k;
            framed = k >= 9 && pdf.compare(k - 9, 9, "/Contents") == 0;
        }
        if (!framed) {
            fail(kTotalFailed, "FORMAT_FAILURE",
                 {"byte_range_invalid", "the ByteRange does not leave out exactly this signature's /Contents"});
            report.signatures.push_back(s);
            continue;
        }
        s.covers_whole_document = b + c == size;
        if (!s.covers_whole_document)
            s.details.push_back({"bytes_added",
                                 std::to_string(size - b - c) + " bytes were added after this signature (later revisions)",
                                 {{"count", std::to_string(size - b - c)}}});
        std::vector<std::string_view> content{bytes.substr(0, static_cast<std::size_t>(a)),
                                              bytes.substr(static_cast<std::size_t>(b), static_cast<std::size_t>(c))};
        s.byte_range_sha256 = core::hex_encode(sha256_of(content));
        std::int64_t poe = 0;  // proof of existence from a time-stamp

        if (e.document_timestamp) {
            std::string why, tsa;
            poe = verify_timestamp_token(first_der_object(contents), sha256_of(content), m_anchors, why, tsa);
            s.signer = tsa;
            if (poe == 0) {
                fail(kTotalFailed, "HASH_FAILURE", {"document_timestamp_invalid", why, {{"reason", why}}});
            } else {
                s.indication = kTotalPassed;
                s.timestamp_time = core::to_rfc3339(poe);
                s.details.push_back({"document_timestamp_ok",
                                     "the document time-stamp covers the document as it was, and its TSA chains to a "
                                     "trust anchor"});
            }
            report.signatures.push_back(s);
            continue;
        }

        poe = check_signed_data(contents, content, m_anchors, m_revocation, dss, s);
        if (s.indication == kTotalPassed && e.later) {
            // later revisions may add signatures, DSS, time-stamps, annotations and form data — not change the pages
            std::vector<std::string> wrong = e.later->page_content;
            if (e.docmdp_permissions > 0)
                for (auto& v : docmdp_violations(e.docmdp_permissions, *e.later))
                    wrong.push_back(v + " (not permitted by this certification, DocMDP P" + std::to_string(e.docmdp_permissions) + ")");
            if (!wrong.empty()) {
                s.indication = kTotalFailed;
                s.sub_indication = "MODIFIED_AFTER_SIGNING";
                for (const auto& w : wrong) s.details.push_back({"changed_after", w + " after this signature", {{"change", w}}});
            } else {
                for (const auto& f : e.later->form_fields)
                    s.details.push_back({"permitted_later", f + " later (permitted)", {{"change", f}}});
                for (const auto& n : e.later->annotations)
                    s.details.push_back({"permitted_later", n + " later (permitted)", {{"change", n}}});
            }
        }
        if (e.docmdp_permissions > 0)
            s.details.push_back({"certification", "certification signature, DocMDP P" + std::to_string(e.docmdp_permissions),
                                 {{"p", std::to_string(e.docmdp_permissions)}}});
        if (s.indication != kTotalPassed && s.sub_indication == "FORMAT_FAILURE") {
            report.signatures.push_back(s);
            continue;
        }
        // the PAdES level reached (EN 319 142-1 §6)
        bool later_doc_ts = false;
        for (std::size_t k = i + 1; k < found.size(); ++k) later_doc_ts = later_doc_ts || found[k].document_timestamp;
        if (s.indication != kTotalFailed)  // a level is reached only by a signature that is not invalid
            s.level = poe > 0 ? (file.dss.present ? (later_doc_ts ? "B-LTA" : "B-LT") : "B-T") : "B-B";
        report.signatures.push_back(s);
    }
    return report;
}

}  // namespace yq::validation
