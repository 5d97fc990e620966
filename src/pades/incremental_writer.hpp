#pragma once
// An incremental update (ISO 32000-2 §7.5.6): the original bytes untouched, then the new or changed objects, a
// cross-reference section for just those (a table, or an xref stream when the file uses xref streams), and a trailer
// whose /Prev points at the previous cross-reference section. PoDoFo 0.9.8 cannot do this for files with xref
// streams (it rewrites a full table without /Prev), so yunqian writes the section itself.
// Error style: throws yq::Error "pades.*".
#include <cstdint>
#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "core/bytes.hpp"

namespace yq::pades {

// Where the last cross-reference section is and what kind it is.
struct XrefTail {
    std::int64_t startxref = 0;
    bool xref_stream = false;
};

// Reads the last `startxref` of the file. Throws 422 "pades.broken_pdf" when there is none or it points outside.
XrefTail read_xref_tail(std::string_view pdf);

struct ObjectText {
    int number = 0;
    int generation = 0;
    std::string text;  // "N G obj … endobj\n", exactly as it goes into the file
};

struct TrailerFields {
    std::int64_t size = 0;      // /Size of the previous trailer
    std::string root;           // "1 0 R"
    std::string info;           // may be empty
    std::string id;             // "[<…><…>]" (the first element kept from the file), may be empty
};

// The bytes to append to `pdf` (which must be the complete original): `objects` and the cross-reference section.
// Objects are written in the order given; their offsets (in the whole new file) go into the section.
std::string update_section(std::string_view pdf, const std::vector<ObjectText>& objects, const TrailerFields& trailer,
                           const XrefTail& previous);

}  // namespace yq::pades
