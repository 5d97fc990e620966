// The incremental-update writer and the signature dictionary text (pure logic; ISO 32000-2 §7.5.4–7.5.8, §12.8.1).
#include <gtest/gtest.h>

#include <regex>

#include "core/error.hpp"
#include "pades/incremental_writer.hpp"
#include "pades/signature_dictionary.hpp"
#include "support/fixtures.hpp"

using namespace yq;

namespace {
const std::string kClassic =
    "%PDF-1.4\n1 0 obj\n<< /Type /Catalog /Pages 2 0 R >>\nendobj\n2 0 obj\n<< /Type /Pages /Kids [] /Count 0 >>\nendobj\n"
    "xref\n0 3\n0000000000 65535 f\r\n0000000009 00000 n\r\n0000000058 00000 n\r\ntrailer\n<< /Size 3 /Root 1 0 R >>\n"
    "startxref\n110\n%%EOF";
}

TEST(IncrementalWriter, FindsTheLastXrefAndItsKind) {
    auto t = pades::read_xref_tail(kClassic);
    EXPECT_EQ(t.startxref, 110);
    EXPECT_FALSE(t.xref_stream);
    EXPECT_EQ(test::error_code_of([] { pades::read_xref_tail("%PDF-1.4\nno end"); }), "pades.broken_pdf");
    EXPECT_EQ(test::error_code_of([] { pades::read_xref_tail("%PDF-1.4\nstartxref\n99999\n%%EOF"); }), "pades.broken_pdf");
}

TEST(IncrementalWriter, AppendsObjectsAndATableWithPrevAndTwentyByteEntries) {
    pades::TrailerFields t{3, "1 0 R", "", "[<AA><BB>]"};
    std::string out = kClassic + pades::update_section(kClassic,
                                                       {{1, 0, "1 0 obj\n<< /Type /Catalog /Pages 2 0 R /X 1 >>\nendobj\n"},
                                                        {5, 0, "5 0 obj\n<< >>\nendobj\n"},
                                                        {4, 0, "4 0 obj\n<< >>\nendobj\n"}},
                                                       t, pades::read_xref_tail(kClassic));
    EXPECT_EQ(out.compare(0, kClassic.size(), kClassic), 0);
    EXPECT_EQ(out[kClassic.size()], '\n');  // the original did not end with an EOL
    std::size_t xref = out.rfind("\nxref\n") + 1;
    std::string section = out.substr(xref);
    // subsections: "1 1" and "4 2"; each entry 20 bytes and pointing at "N 0 obj"
    std::smatch m;
    ASSERT_TRUE(std::regex_search(section, m, std::regex("xref\n1 1\n(\\d{10}) 00000 n\r\n4 2\n(\\d{10}) 00000 n\r\n(\\d{10}) 00000 n\r\n")))
        << section;
    EXPECT_EQ(out.compare(std::stoul(m[1]), 8, "1 0 obj\n"), 0);
    EXPECT_EQ(out.compare(std::stoul(m[2]), 8, "4 0 obj\n"), 0);
    EXPECT_EQ(out.compare(std::stoul(m[3]), 8, "5 0 obj\n"), 0);
    EXPECT_NE(section.find("/Size 6 /Root 1 0 R /ID [<AA><BB>] /Prev 110"), std::string::npos) << section;
    auto tail = pades::read_xref_tail(out);
    EXPECT_EQ(static_cast<std::size_t>(tail.startxref), xref);
}

TEST(IncrementalWriter, WritesAnXrefStreamWhenTheFileUsesOne) {
    pades::XrefTail previous{110, true};
    pades::TrailerFields t{3, "1 0 R", "", ""};
    std::string out = kClassic + pades::update_section(kClassic, {{3, 0, "3 0 obj\n<< >>\nendobj\n"}}, t, previous);
    std::size_t at = out.find("4 0 obj\n<< /Type /XRef", kClassic.size());
    ASSERT_NE(at, std::string::npos) << out.substr(kClassic.size());
    EXPECT_NE(out.find("/Size 5", at), std::string::npos);
    EXPECT_NE(out.find("/Index [3 2] /Length 14", at), std::string::npos);
    std::size_t data = out.find("stream\n", at) + 7;
    // entry for 3: type 1, 4-byte offset, generation 0
    std::size_t obj3 = out.find("3 0 obj", kClassic.size());
    EXPECT_EQ(static_cast<unsigned char>(out[data]), 1);
    std::size_t off = (static_cast<unsigned char>(out[data + 1]) << 24) | (static_cast<unsigned char>(out[data + 2]) << 16) |
                      (static_cast<unsigned char>(out[data + 3]) << 8) | static_cast<unsigned char>(out[data + 4]);
    EXPECT_EQ(off, obj3);
    EXPECT_EQ(static_cast<std::size_t>(pades::read_xref_tail(out).startxref), at);
}

TEST(SignatureDictionary, PlaceholdersArePatchedAndTheDigestSkipsOnlyContents) {
    pades::SignatureDictionary d;
    d.number = 9;
    d.reserved_bytes = 8;
    d.reason = "核准";
    std::string file = "%PDF-1.7\n" + pades::signature_object_text(d) + "trailer\n";
    auto p = pades::locate_placeholder(file, 9);
    pades::patch_byte_range(file, p);
    EXPECT_EQ(file.substr(p.contents_start, p.contents_length), "<" + std::string(16, '0') + ">");
    std::smatch m;
    ASSERT_TRUE(std::regex_search(file, m, std::regex(R"(/ByteRange \[0 (\d+) (\d+) (\d+) *\])")));
    EXPECT_EQ(std::stoul(m[1]), p.contents_start);
    EXPECT_EQ(std::stoul(m[2]), p.contents_start + p.contents_length);
    EXPECT_EQ(std::stoul(m[2]) + std::stoul(m[3]), file.size());
    std::string covered = file.substr(0, p.contents_start) + file.substr(p.contents_start + p.contents_length);
    EXPECT_EQ(pades::byte_range_digest("", file, p), core::sha256(covered));
    // the same with the file split into an original and an update section
    std::string head = file.substr(0, 9), tail = file.substr(9);
    EXPECT_EQ(pades::byte_range_digest(head, tail, p), core::sha256(covered));
    pades::embed_contents(file, p, core::Bytes{0x30, 0x03, 0x02, 0x01, 0x05});
    EXPECT_EQ(file.substr(p.contents_start, 12), "<3003020105" "0");
    EXPECT_EQ(test::error_code_of([&] { pades::embed_contents(file, p, core::Bytes(9, 1)); }), "pades.contents_too_small");
    EXPECT_NE(file.find("/Reason <FEFF683851C6>"), std::string::npos);  // 核准 in UTF-16BE
}

TEST(SignatureDictionary, TextStringsAndDates) {
    EXPECT_EQ(pades::pdf_text_string("A澳"), "<FEFF00416FB3>");
    EXPECT_EQ(pades::pdf_text_string("\xF0\x9F\x98\x80"), "<FEFFD83DDE00>");  // U+1F600 as a surrogate pair
    EXPECT_EQ(test::error_code_of([] { pades::pdf_text_string("\xE6\xBE"); }), "pades.bad_text");
    EXPECT_EQ(pades::pdf_date(1795600000, 480), "D:20261125174640+08'00'");
    EXPECT_EQ(pades::pdf_date(0, -90), "D:19691231223000-01'30'");
}
