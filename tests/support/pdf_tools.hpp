#pragma once
// Test inputs made on the spot by other producers (Ghostscript, qpdf, a hand-written file), and the independent
// verdicts of pdfsig (poppler), qpdf and openssl on signed outputs.
#include <string>
#include <vector>

#include "support/fixtures.hpp"

namespace yq::test {

// N pages of text from Ghostscript's pdfwrite (classic cross-reference table).
std::string ghostscript_pdf(const TempDir& dir, int pages, const std::string& name = "gs.pdf");
// The same file rewritten by qpdf with object streams and a cross-reference stream.
std::string qpdf_object_streams(const TempDir& dir, const std::string& input, const std::string& name = "objstm.pdf");
// The same pages re-made by cairo (poppler's pdftocairo): another producer's object layout.
std::string cairo_pdf(const TempDir& dir, const std::string& input, const std::string& name = "cairo.pdf");
// A PDF written from object bodies (object i+1 = objects[i]; object 1 must be the catalog) with a correct xref.
std::string write_pdf(const std::vector<std::string>& objects);
// About `megabytes` MB: that many pages, each with a 1 MB image of random bytes (uncompressible, like scans).
std::string large_pdf(int megabytes);
// A one-page PDF written by hand with an empty signature field named `field` (visible, 200×60 at 72,72).
std::string pdf_with_empty_signature_field(const TempDir& dir, const std::string& field);

// An NSS database (one per `dir`) trusting `ca_pem` for pdfsig -nssdir; call again to trust another CA.
std::string nss_trusting(const TempDir& dir, const std::string& ca_pem, const std::string& nickname = "yq-trust");

struct PdfsigSignature {
    std::string validation;   // "Signature is Valid." …
    std::string certificate;  // "Certificate is Trusted." …
    std::string signer;
    bool total_document = false;
    std::string sub_filter;   // "ETSI.CAdES.detached"
};
// pdfsig's report, one entry per signature (it exits 0 even on a digest mismatch, so the text is what counts).
std::vector<PdfsigSignature> pdfsig(const std::string& nssdir, const std::string& file);
// A signature field's widget as qpdf reads the file: the page it is on (1-based, from its /P) and its /Rect.
struct SignatureWidget {
    int page = 0;
    std::vector<double> rect;
};
std::vector<SignatureWidget> signature_widgets(const std::string& file);
// "qpdf --check" output.
std::string qpdf_check(const std::string& file);
// openssl cms -verify -binary on the CMS of signature `index` (0-based) over its byte ranges.
std::string openssl_verify_pdf_signature(const TempDir& dir, const std::string& file, int index, const std::string& ca_pem);

}  // namespace yq::test
