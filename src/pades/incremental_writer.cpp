#include "pades/incremental_writer.hpp"

#include <algorithm>
#include <cstdio>

#include "core/error.hpp"

namespace yq::pades {

namespace {

[[noreturn]] void broken(const std::string& why) {
    throw Error("pades.broken_pdf", 422, "the file is not a readable PDF: " + why);
}

bool is_space(char c) { return c == ' ' || c == '\n' || c == '\r' || c == '\t' || c == '\f' || c == '\0'; }

// Consecutive object numbers form one subsection (§7.5.4).
std::vector<std::pair<int, int>> subsections(std::vector<int> numbers) {
    std::sort(numbers.begin(), numbers.end());
    std::vector<std::pair<int, int>> out;  // (first, count)
    for (int n : numbers) {
        if (!out.empty() && out.back().first + out.back().second == n) ++out.back().second;
        else out.push_back({n, 1});
    }
    return out;
}

void put_be(std::string& out, std::uint64_t v, int bytes) {
    for (int i = bytes - 1; i >= 0; --i) out.push_back(static_cast<char>((v >> (8 * i)) & 0xFF));
}

std::string trailer_entries(const TrailerFields& t, std::int64_t size, std::int64_t prev) {
    std::string s = "/Size " + std::to_string(size) + " /Root " + t.root;
    if (!t.info.empty()) s += " /Info " + t.info;
    if (!t.id.empty()) s += " /ID " + t.id;
    s += " /Prev " + std::to_string(prev);
    return s;
}

}  // namespace

XrefTail read_xref_tail(std::string_view pdf) {
    std::size_t tail_start = pdf.size() > 2048 ? pdf.size() - 2048 : 0;
    std::size_t pos = pdf.rfind("startxref");
    if (pos == std::string_view::npos || pos < tail_start) broken("no startxref at the end of the file (truncated?)");
    std::size_t p = pos + 9;
    while (p < pdf.size() && is_space(pdf[p])) ++p;
    std::size_t digits = p;
    while (p < pdf.size() && std::isdigit(static_cast<unsigned char>(pdf[p]))) ++p;
    if (p == digits || p - digits > 15) broken("startxref has no offset");
    XrefTail t;
    t.startxref = std::stoll(std::string(pdf.substr(digits, p - digits)));
    if (t.startxref <= 0 || static_cast<std::size_t>(t.startxref) >= pos) broken("startxref points outside the file");
    std::size_t x = static_cast<std::size_t>(t.startxref);
    while (x < pdf.size() && is_space(pdf[x])) ++x;
    if (pdf.compare(x, 4, "xref") == 0) {
        t.xref_stream = false;
    } else if (x < pdf.size() && std::isdigit(static_cast<unsigned char>(pdf[x]))) {
        t.xref_stream = true;  // "N G obj << /Type /XRef …"
    } else {
        broken("startxref does not point at a cross-reference section");
    }
    return t;
}

std::string update_section(std::string_view pdf, const std::vector<ObjectText>& objects, const TrailerFields& trailer,
                           const XrefTail& previous) {
    std::size_t added = 4096;
    for (const ObjectText& o : objects) added += o.text.size() + 32;
    std::string out;
    out.reserve(added);
    if (!pdf.empty() && pdf.back() != '\n' && pdf.back() != '\r') out.push_back('\n');
    const std::int64_t base = static_cast<std::int64_t>(pdf.size());  // offsets are in the whole new file
    std::map<int, std::pair<std::int64_t, int>> offsets;  // number → (offset, generation)
    int highest = 0;
    for (const ObjectText& o : objects) {
        offsets[o.number] = {base + static_cast<std::int64_t>(out.size()), o.generation};
        highest = std::max(highest, o.number);
        out += o.text;
    }
    std::int64_t size = std::max<std::int64_t>(trailer.size, highest + 1);
    std::int64_t xref_offset = base + static_cast<std::int64_t>(out.size());
    if (!previous.xref_stream) {
        // §7.5.4: each entry is exactly 20 bytes: 10-digit offset, 5-digit generation, type, two-character EOL
        out += "xref\n";
        std::vector<int> numbers;
        for (const auto& [n, _] : offsets) numbers.push_back(n);
        for (const auto& [first, count] : subsections(numbers)) {
            out += std::to_string(first) + " " + std::to_string(count) + "\n";
            for (int n = first; n < first + count; ++n) {
                char entry[32];
                std::snprintf(entry, sizeof entry, "%010lld %05d n\r\n", static_cast<long long>(offsets[n].first),
                              offsets[n].second);
                out += entry;
            }
        }
        out += "trailer\n<< " + trailer_entries(trailer, size, previous.startxref) + " >>\n";
    } else {
        // §7.5.8: the section is itself an object; entries type 1 (offset, generation), /W [1 4 2], unfiltered
        int self = static_cast<int>(size);
        offsets[self] = {xref_offset, 0};
        size = self + 1;
        std::vector<int> numbers;
        for (const auto& [n, _] : offsets) numbers.push_back(n);
        std::string index, data;
        for (const auto& [first, count] : subsections(numbers)) {
            index += (index.empty() ? "" : " ") + std::to_string(first) + " " + std::to_string(count);
            for (int n = first; n < first + count; ++n) {
                if (offsets[n].first > 0xFFFFFFFFLL) throw Error("pades.too_large", 413, "the document is larger than 4 GB");
                data.push_back(1);
                put_be(data, static_cast<std::uint64_t>(offsets[n].first), 4);
                put_be(data, static_cast<std::uint64_t>(offsets[n].second), 2);
            }
        }
        out += std::to_string(self) + " 0 obj\n<< /Type /XRef " + trailer_entries(trailer, size, previous.startxref) +
               " /W [1 4 2] /Index [" + index + "] /Length " + std::to_string(data.size()) + " >>\nstream\n" + data +
               "\nendstream\nendobj\n";
    }
    out += "startxref\n" + std::to_string(xref_offset) + "\n%%EOF\n";
    return out;
}

}  // namespace yq::pades
