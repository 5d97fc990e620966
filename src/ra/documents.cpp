#include "ra/documents.hpp"

#include <algorithm>

#include "core/error.hpp"

namespace yq::ra {

namespace {
bool starts_with(const core::Bytes& b, std::initializer_list<std::uint8_t> prefix) {
    return b.size() >= prefix.size() && std::equal(prefix.begin(), prefix.end(), b.begin());
}
}  // namespace

std::string check_upload(const core::Bytes& content, std::size_t max_bytes) {
    if (content.size() > max_bytes)
        throw Error("documents.too_large", 413,
                    "the document is larger than " + std::to_string(max_bytes / (1024 * 1024)) + " MB; scan it at a lower resolution");
    if (content.empty()) throw_bad_input("documents.empty", "the document is empty");
    if (starts_with(content, {'%', 'P', 'D', 'F', '-'})) return "application/pdf";
    if (starts_with(content, {0xFF, 0xD8, 0xFF})) return "image/jpeg";
    if (starts_with(content, {0x89, 'P', 'N', 'G', 0x0D, 0x0A, 0x1A, 0x0A})) return "image/png";
    throw Error("documents.unsupported_type", 415, "only PDF, JPEG and PNG documents are accepted");
}

std::vector<std::string> required_documents(const core::RaConfig& config, const std::string& request_type,
                                            bool delegate_representative) {
    std::vector<std::string> out;
    auto add = [&](const std::string& type) {
        auto it = config.checklists.find(type);
        if (it == config.checklists.end()) return;
        for (const auto& d : it->second)
            if (std::find(out.begin(), out.end(), d) == out.end()) out.push_back(d);
    };
    add(request_type);
    if (request_type == "agency" && delegate_representative) add("agency_delegate");
    return out;
}

std::vector<std::string> missing_documents(const std::vector<std::string>& required,
                                           const std::vector<Attachment>& attached) {
    std::vector<std::string> missing;
    for (const auto& r : required)
        if (std::none_of(attached.begin(), attached.end(), [&](const Attachment& a) { return a.doc_type == r; }))
            missing.push_back(r);
    return missing;
}

void require_documents(const std::vector<std::string>& required, const std::vector<Attachment>& attached) {
    auto missing = missing_documents(required, attached);
    if (missing.empty()) return;
    std::string list;
    for (const auto& m : missing) list += (list.empty() ? "" : ", ") + m;
    throw Error("ra.documents_missing", 422, "documents still missing: " + list, missing);
}

}  // namespace yq::ra
