// The direct revokedCertificates encoder must produce exactly what OpenSSL's template encoder produces.
#include <gtest/gtest.h>
#include <openssl/ec.h>
#include <openssl/x509.h>
#include <openssl/x509v3.h>

#include "pki/crl_encoder.hpp"
#include "pki/openssl_ptr.hpp"

using namespace yq;

namespace {

struct Input {
    std::string serial_hex;
    std::int64_t revoked;
    int reason;
    std::optional<std::int64_t> invalidity;
};

pki::EvpPkeyPtr software_key() {
    return pki::EvpPkeyPtr(EVP_EC_gen("P-256"));
}

// OpenSSL reference: the same CRL built entirely with X509_REVOKED objects.
core::Bytes reference_tbs(const std::vector<Input>& inputs, EVP_PKEY* key, bool with_entries) {
    pki::X509CrlPtr crl(X509_CRL_new());
    X509_CRL_set_version(crl.get(), X509_CRL_VERSION_2);
    pki::X509NamePtr name = pki::parse_name("/C=MO/O=yunqian/CN=Test CA");
    X509_CRL_set_issuer_name(crl.get(), name.get());
    pki::Asn1TimePtr t1(ASN1_TIME_set(nullptr, 1764064800)), t2(ASN1_TIME_set(nullptr, 1764151200));
    X509_CRL_set1_lastUpdate(crl.get(), t1.get());
    X509_CRL_set1_nextUpdate(crl.get(), t2.get());
    if (with_entries) {
        for (const Input& in : inputs) {
            pki::X509RevokedPtr r(X509_REVOKED_new());
            BIGNUM* bn = nullptr;
            BN_hex2bn(&bn, in.serial_hex.c_str());
            pki::Asn1IntegerPtr serial(BN_to_ASN1_INTEGER(bn, nullptr));
            BN_free(bn);
            X509_REVOKED_set_serialNumber(r.get(), serial.get());
            pki::Asn1TimePtr when(ASN1_TIME_set(nullptr, static_cast<time_t>(in.revoked)));
            X509_REVOKED_set_revocationDate(r.get(), when.get());
            if (in.reason != 0) {
                ASN1_ENUMERATED* e = ASN1_ENUMERATED_new();
                ASN1_ENUMERATED_set(e, in.reason);
                X509_REVOKED_add1_ext_i2d(r.get(), NID_crl_reason, e, 0, 0);
                ASN1_ENUMERATED_free(e);
            }
            if (in.invalidity) {
                ASN1_GENERALIZEDTIME* g = ASN1_GENERALIZEDTIME_set(nullptr, static_cast<time_t>(*in.invalidity));
                X509_REVOKED_add1_ext_i2d(r.get(), NID_invalidity_date, g, 0, 0);
                ASN1_GENERALIZEDTIME_free(g);
            }
            X509_CRL_add0_revoked(crl.get(), r.release());
        }
    }
    pki::Asn1IntegerPtr number(ASN1_INTEGER_new());
    ASN1_INTEGER_set_int64(number.get(), 42);
    X509_CRL_add1_ext_i2d(crl.get(), NID_crl_number, number.get(), 0, 0);
    X509_CRL_sort(crl.get());
    X509_CRL_sign(crl.get(), key, EVP_sha256());
    unsigned char* der = nullptr;
    int len = i2d_re_X509_CRL_tbs(crl.get(), &der);
    core::Bytes out(der, der + len);
    OPENSSL_free(der);
    return out;
}

std::vector<pki::CrlEntry> to_entries(const std::vector<Input>& inputs) {
    std::vector<pki::CrlEntry> out;
    for (const Input& in : inputs) {
        pki::CrlEntry e;
        pki::set_serial_from_hex(e, in.serial_hex);
        e.revocation_time = in.revoked;
        e.reason = static_cast<std::uint8_t>(in.reason);
        e.invalidity_date = in.invalidity;
        out.push_back(e);
    }
    return out;
}

}  // namespace

TEST(CrlEncoder, MatchesOpenSslByteForByte) {
    std::vector<Input> inputs = {
        {"4f1e2d3c4b5a69788796a5b4c3d2e1f001122334", 1764064000, 1, std::nullopt},        // keyCompromise
        {"ff", 1764064001, 0, std::nullopt},                                               // high bit → 0x00 pad
        {"01", 1764064002, 4, 1764000000},                                                 // superseded + invalidity
        {"7fffffffffffffffffffffffffffffffffffffff", 2556144000, 9, std::nullopt},        // 2051: GeneralizedTime
        {"0a0b", 1764064003, 3, std::nullopt},
        {"abc", 1764064005, 1, std::nullopt},                                              // odd digit count
        {"000000ffee", 1764064006, 1, std::nullopt},                                       // leading zeros
        {"80000000000000000000000000000000000000", 1764064004, 5, 1763000000},
    };
    for (int i = 0; i < 200; ++i) {  // plus random 20-byte serials to exercise sorting
        core::Bytes b = core::random_bytes(20);
        b[0] = static_cast<std::uint8_t>((b[0] & 0x7f) | 0x40);
        inputs.push_back({core::hex_encode(b), 1764064100 + i, i % 3 == 0 ? 0 : 1, std::nullopt});
    }
    pki::EvpPkeyPtr key = software_key();
    core::Bytes expected = reference_tbs(inputs, key.get(), true);
    core::Bytes template_tbs = reference_tbs(inputs, key.get(), false);
    // the one-pass writer the CA uses (#19), from unsorted entries, appending after whatever the buffer holds
    auto entries = to_entries(inputs);
    EXPECT_EQ(pki::tbs_with_revoked_size(template_tbs, entries), expected.size());
    core::Bytes streamed{0xee, 0xee};
    pki::append_tbs_with_revoked(streamed, template_tbs, entries);
    core::Bytes ours(streamed.begin() + 2, streamed.end());
    ASSERT_EQ(ours.size(), expected.size());
    EXPECT_TRUE(ours == expected) << "first difference at byte "
                                  << std::distance(ours.begin(), std::mismatch(ours.begin(), ours.end(), expected.begin()).first);
    EXPECT_EQ(streamed[0], 0xee);
}

TEST(CrlEncoder, LongFormLengthsAreMinimal) {
    core::Bytes out;
    pki::der_append_length(out, 0x7f);
    EXPECT_EQ(out, (core::Bytes{0x7f}));
    out.clear();
    pki::der_append_length(out, 0x80);
    EXPECT_EQ(out, (core::Bytes{0x81, 0x80}));
    out.clear();
    pki::der_append_length(out, 0x1234);
    EXPECT_EQ(out, (core::Bytes{0x82, 0x12, 0x34}));
    out.clear();
    pki::der_append_length(out, 30'000'000);
    EXPECT_EQ(out, (core::Bytes{0x84, 0x01, 0xc9, 0xc3, 0x80}));
}

TEST(CrlEncoder, SerialsLongerThanTwentyOctetsOrNotHexAreRefused) {
    pki::CrlEntry e;
    EXPECT_ANY_THROW(pki::set_serial_from_hex(e, std::string(42, 'a')));
    EXPECT_ANY_THROW(pki::set_serial_from_hex(e, "12zz"));
    pki::set_serial_from_hex(e, std::string(40, 'f'));
    EXPECT_EQ(e.serial_size, 20);
}

TEST(CrlEncoder, SpliceRejectsSomethingThatIsNotATbs) {
    std::vector<pki::CrlEntry> entries(1);
    core::Bytes out;
    EXPECT_ANY_THROW(pki::append_tbs_with_revoked(out, core::Bytes{0x31, 0x00}, entries));
    EXPECT_ANY_THROW(pki::append_tbs_with_revoked(out, core::Bytes{0x30, 0x05, 0x02}, entries));
    EXPECT_ANY_THROW(pki::tbs_with_revoked_size(core::Bytes{0x30, 0x05, 0x02}, entries));
}
