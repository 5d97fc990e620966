#include "validation/pdf_validator.hpp"

#include <openssl/cms.h>
#include <openssl/err.h>
#include <openssl/ts.h>
#include <openssl/x509.h>
#include <openssl/x509v3.h>

#include <algorithm>
#include <ctime>

#include "core/clock.hpp"
#include "core/error.hpp"
#include "pades/signature_reader.hpp"
#include "validation/checks.hpp"

namespace yq::validation {

namespace {

}  // namespace

Report PdfValidator::validate(const std::string& pdf) const {
    Report report;
    report.file_sha256 = core::hex_encode(core::sha256(pdf));
    std::vector<pades::EmbeddedSignature> found;
    try {
        found = pades::read_signatures(pdf, m_limits);
    } catch (const Error& e) {
        report.problem = std::string(e.what()) + " [" + e.code() + "]";
        return report;
    }
    // in the order they were made: by where their signed range ends
    std::sort(found.begin(), found.end(), [](const auto& x, const auto& y) {
        auto end = [](const pades::EmbeddedSignature& e) { return e.byte_range.size() == 4 ? e.byte_range[2] + e.byte_range[3] : 0; };
        return end(x) < end(y);
    });
    bool has_dss = pdf.find("/DSS") != std::string::npos;
    const std::int64_t size = static_cast<std::int64_t>(pdf.size());

    for (std::size_t i = 0; i < found.size(); ++i) {
        const auto& e = found[i];
        SignatureReport s;
        s.field = e.field_name;
        s.kind = e.document_timestamp ? "document time-stamp" : "signature";
        s.sub_filter = e.sub_filter;
        s.claimed_time = e.claimed_time;
        auto fail = [&](const char* indication, const char* sub, const std::string& why) {
            s.indication = indication;
            s.sub_indication = sub;
            s.details.push_back(why);
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
        auto trimmed = [](core::Bytes v) {
            while (!v.empty() && v.back() == 0) v.pop_back();
            return v;
        };
        if (framed) {  // the gap must be the value of a /Contents key, not some other hex string
            std::size_t k = static_cast<std::size_t>(a);
            while (k > 0 && std::isspace(static_cast<unsigned char>(pdf[k - 1]))) --k;
            framed = k >= 9 && pdf.compare(k - 9, 9, "/Contents") == 0;
        }
        if (!framed) {
            fail("FAILED", "FORMAT_FAILURE", "the ByteRange does not leave out exactly this signature's /Contents");
            report.signatures.push_back(s);
            continue;
        }
        s.covers_whole_document = b + c == size;
        std::vector<std::string> changes;
        if (!s.covers_whole_document) {
            s.details.push_back(std::to_string(size - b - c) + " bytes were added after this signature (later revisions)");
            try {  // later revisions may add signatures, DSS, time-stamps, annotations — not change the pages
                changes = pades::page_changes(pdf.substr(0, static_cast<std::size_t>(b + c)), pdf, m_limits);
            } catch (const Error& e) {
                changes.push_back(std::string("the revision this signature covers cannot be read: ") + e.what());
            }
        }
        std::string content = pdf.substr(0, static_cast<std::size_t>(a)) + pdf.substr(static_cast<std::size_t>(b), static_cast<std::size_t>(c));
        core::Bytes digest = core::sha256(content);
        std::int64_t poe = 0;  // proof of existence from a time-stamp

        if (e.document_timestamp) {
            std::string why, tsa;
            poe = verify_timestamp_token(trimmed(contents), digest, m_anchors, why, tsa);
            s.signer = tsa;
            if (poe == 0) {
                fail("FAILED", "HASH_FAILURE", why);
            } else {
                s.indication = "PASSED";
                s.timestamp_time = core::to_rfc3339(poe);
                s.details.push_back("the document time-stamp covers the document as it was, and its TSA chains to a trust anchor");
            }
            report.signatures.push_back(s);
            continue;
        }

        poe = check_signed_data(contents, content, digest, m_anchors, m_revocation, s);
        if (s.indication == "PASSED" && !changes.empty()) {
            s.indication = "FAILED";
            s.sub_indication = "MODIFIED_AFTER_SIGNING";
            for (const auto& c : changes) s.details.push_back(c + " after this signature");
        }
        if (s.indication != "PASSED" && s.sub_indication == "FORMAT_FAILURE") {
            report.signatures.push_back(s);
            continue;
        }
        // the PAdES level reached (EN 319 142-1 §6)
        bool later_doc_ts = false;
        for (std::size_t k = i + 1; k < found.size(); ++k) later_doc_ts = later_doc_ts || found[k].document_timestamp;
        s.level = poe > 0 ? (has_dss ? (later_doc_ts ? "B-LTA" : "B-LT") : "B-T") : "B-B";
        report.signatures.push_back(s);
    }
    return report;
}

}  // namespace yq::validation
