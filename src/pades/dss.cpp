#include "pades/dss.hpp"

#include <podofo/podofo.h>
#include <openssl/sha.h>


#include "core/error.hpp"
#include <cstdio>

#include "core/bytes.hpp"
#include "pades/podofo_document.hpp"

namespace yq::pades {

namespace {

using namespace PoDoFo;

// The array under `key` of `dss`, created when absent; marks the object that holds it as changed.
PdfArray& array_in(PodofoDocument& file, PdfObject* dss, const char* key) {
    PdfObject* entry = dss->GetDictionary().GetKey(key);
    if (!entry) {
        dss->GetDictionary().AddKey(key, PdfArray());
        return dss->GetDictionary().GetKey(key)->GetArray();
    }
    if (entry->IsReference()) {
        PdfObject* target = file.objects().GetObject(entry->GetReference());
        if (!target || !target->IsArray()) throw Error("pades.broken_pdf", 422, std::string("the DSS /") + key + " is broken");
        file.mark_changed(target);
        return target->GetArray();
    }
    return entry->GetArray();
}

}  // namespace

core::Bytes last_signature_contents(std::string_view pdf) {
    std::size_t br = pdf.rfind("/ByteRange");
    std::size_t ct = br == std::string_view::npos ? std::string_view::npos : pdf.find("/Contents <", br);
    if (ct == std::string_view::npos) throw Error("pades.no_signature", 422, "the document has no signature to add validation data for");
    std::size_t start = ct + 11, end = pdf.find('>', start);
    return core::hex_decode(pdf.substr(start, end - start));
}

// Runs in the isolated child (the document is still untrusted input): returns the update section.
static std::string add_unguarded(std::string_view pdf, const ValidationMaterial& material, const std::string& file_id) {
    PodofoDocument file(pdf);
    PdfVecObjects& objects = file.objects();
    PdfObject* catalog = file.catalog();
    PdfObject* dss = catalog->GetIndirectKey("DSS");
    if (!dss) {
        dss = objects.CreateObject();
        catalog->GetDictionary().AddKey("DSS", dss->Reference());
        file.mark_changed(catalog);
    } else if (catalog->GetDictionary().GetKey("DSS")->IsReference()) {
        file.mark_changed(dss);
    } else {
        file.mark_changed(catalog);
    }
    auto add_streams = [&](const char* key, const std::vector<core::Bytes>& items) {
        PdfArray& all = array_in(file, dss, key);
        PdfArray refs;
        for (const auto& der : items) {
            PdfObject* s = objects.CreateObject();
            s->GetStream()->Set(reinterpret_cast<const char*>(der.data()), static_cast<pdf_long>(der.size()));
            all.push_back(s->Reference());
            refs.push_back(s->Reference());
        }
        return refs;
    };
    PdfDictionary vri;
    vri.AddKey("Cert", add_streams("Certs", material.certificates));
    vri.AddKey("OCSP", add_streams("OCSPs", material.ocsp_responses));
    vri.AddKey("CRL", add_streams("CRLs", material.crls));
    // §12.8.4.4: the VRI key is the SHA-1 of the signature's /Contents, upper-case hex
    core::Bytes contents = last_signature_contents(pdf);
    unsigned char sha1[SHA_DIGEST_LENGTH];
    SHA1(contents.data(), contents.size(), sha1);
    std::string key;
    for (unsigned char c : core::hex_encode(sha1, sizeof sha1)) key.push_back(static_cast<char>(std::toupper(c)));
    PdfObject* vri_dict = dss->GetDictionary().GetKey("VRI");
    if (vri_dict && vri_dict->IsReference()) {
        vri_dict = objects.GetObject(vri_dict->GetReference());
        file.mark_changed(vri_dict);
    }
    if (!vri_dict) {
        dss->GetDictionary().AddKey("VRI", PdfDictionary());
        vri_dict = dss->GetDictionary().GetKey("VRI");
    }
    vri_dict->GetDictionary().AddKey(PdfName(key), vri);

    return file.update_section({}, nullptr, file_id);
}

namespace detail {

// In the PDF worker. Input: "file_id\n", then for each item a line "c|o|r <size>\n" and its DER, then "\n" and the
// PDF. Answers the update section.
std::string add_validation_data_job(const std::string& input) {
    std::size_t at = input.find('\n');
    if (at == std::string::npos) throw_internal("pades.internal", "the PDF worker got a malformed request");
    const std::string file_id = input.substr(0, at++);
    ValidationMaterial material;
    while (at < input.size() && input[at] != '\n') {
        char kind = 0;
        std::size_t size = 0;
        int used = 0;
        if (std::sscanf(input.c_str() + at, "%c %zu\n%n", &kind, &size, &used) != 2 || used <= 0 ||
            at + static_cast<std::size_t>(used) + size > input.size())
            throw_internal("pades.internal", "the PDF worker got a malformed request");
        at += static_cast<std::size_t>(used);
        core::Bytes der(input.begin() + static_cast<std::ptrdiff_t>(at),
                        input.begin() + static_cast<std::ptrdiff_t>(at + size));
        at += size;
        (kind == 'c' ? material.certificates : kind == 'o' ? material.ocsp_responses : material.crls).push_back(der);
    }
    std::string_view pdf(input);  // read where it arrived, not copied again (#19)
    pdf.remove_prefix(std::min(at + 1, input.size()));
    return add_unguarded(pdf, material, file_id);  // a PoDoFo error is translated by run_pdf_job
}

}  // namespace detail

std::string add_validation_material(PdfParsers& parsers, const std::string& pdf, const ValidationMaterial& material) {
    last_signature_contents(pdf);  // 422 "pades.no_signature" here, before a worker is asked
    std::string input = core::hex_encode(core::random_bytes(16)) + "\n";
    auto add = [&](char kind, const std::vector<core::Bytes>& items) {
        for (const auto& der : items)
            input.append(1, kind).append(" " + std::to_string(der.size()) + "\n").append(der.begin(), der.end());
    };
    add('c', material.certificates);
    add('o', material.ocsp_responses);
    add('r', material.crls);
    input.append("\n").append(pdf);
    std::string tail = parsers.run(kAddValidationDataJob, input);
    std::string out;
    out.reserve(pdf.size() + tail.size());
    return out.append(pdf).append(tail);
}

}  // namespace yq::pades
