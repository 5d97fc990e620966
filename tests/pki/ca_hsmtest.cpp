#include <gtest/gtest.h>
#include <openssl/ocsp.h>
#include <openssl/pem.h>

#include "core/error.hpp"
#include "pki/certificate_authority.hpp"
#include "pki/ocsp_responder.hpp"
#include "pki/time_stamp_authority.hpp"
#include "storage/sql_store.hpp"
#include "support/fixtures.hpp"

using namespace yq;
using test::DbKind;

class CaTest : public ::testing::TestWithParam<DbKind> {
protected:
    test::TempDir dir;
    test::SoftHsmToken token;
    test::TestDatabase database{GetParam()};
    core::Config config = test::test_config(dir.path().string());
    keystore::Keystore keys{token.settings()};
    storage::SqlStore store{database.db()};
    core::FixedClock clock{1764064800};  // 2025-11-25T10:00:00Z
    pki::CertificateAuthority ca{config, keys, store, clock};

    void SetUp() override { ca.initialise_hierarchy("test"); }

    std::string pem_file(X509* cert, const std::string& name) {
        std::string path = dir.file(name);
        test::write_file(path, pki::to_pem(cert));
        return path;
    }

    // An RFC 3161 query for `text` made by the openssl command line, kept in q.tsq (`with_cert`: -cert, asking for the
    // TSA's certificate in the token).
    core::Bytes time_stamp_query(const std::string& text, bool with_cert = true) {
        test::write_file(dir.file("data.txt"), text);
        test::run_command("openssl ts -query -data " + dir.file("data.txt") + " -sha256" + (with_cert ? " -cert" : "") +
                          " -out " + dir.file("q.tsq"));
        return core::to_bytes(test::read_file(dir.file("q.tsq")));
    }
    // `reply` written to `name`, and what `openssl ts -verify` says of it against q.tsq, trusting only our root.
    std::string verify_time_stamp(const core::Bytes& reply, const std::string& name) {
        test::write_file(dir.file(name), std::string(reply.begin(), reply.end()));
        return test::run_command("openssl ts -verify -in " + dir.file(name) + " -queryfile " + dir.file("q.tsq") +
                                 " -CAfile " + pem_file(ca.root_certificate(), "root.pem") + " -untrusted " +
                                 pem_file(ca.issuing_certificate(), "iss.pem"))
            .output;
    }

    // A CSR made by the openssl command line (an independent producer).
    core::Bytes make_csr(const std::string& subject, const std::string& key_opts = "-newkey ec -pkeyopt ec_paramgen_curve:P-256") {
        std::string key = dir.file("k.pem"), csr = dir.file("r.csr");
        auto r = test::run_command("openssl req -new -nodes -utf8 " + key_opts + " -keyout " + test::shell_quote(key) +
                                   " -subj " + test::shell_quote(subject) + " -out " + test::shell_quote(csr));
        EXPECT_EQ(r.exit_code, 0) << r.output;
        std::string text = test::read_file(csr);
        return core::Bytes(text.begin(), text.end());
    }
};

TEST_P(CaTest, HierarchyIsCreatedOnceWithNonExtractableHsmKeys) {
    EXPECT_TRUE(ca.initialised());
    std::string root = pki::serial_hex(X509_get_serialNumber(ca.root_certificate()));
    ca.initialise_hierarchy("test");  // second run changes nothing
    EXPECT_EQ(pki::serial_hex(X509_get_serialNumber(ca.root_certificate())), root);
    for (const char* label : {pki::kRootKeyLabel, pki::kIssuingKeyLabel, pki::kOcspKeyLabel, pki::kTsaKeyLabel})
        EXPECT_TRUE(keys.has_key(label)) << label;

    std::string root_pem = pem_file(ca.root_certificate(), "root.pem");
    std::string issuing_pem = pem_file(ca.issuing_certificate(), "issuing.pem");
    auto v = test::run_command("openssl verify -x509_strict -CAfile " + root_pem + " " + issuing_pem);
    EXPECT_NE(v.output.find(": OK"), std::string::npos) << v.output;
    auto text = test::run_command("openssl x509 -noout -text -in " + issuing_pem);
    EXPECT_NE(text.output.find("CA:TRUE, pathlen:0"), std::string::npos) << text.output;
    EXPECT_NE(text.output.find("Certificate Sign, CRL Sign"), std::string::npos);

    std::string ocsp = pem_file(ca.certificate_of("ocsp"), "ocsp.pem"), tsa = pem_file(ca.certificate_of("tsa"), "tsa.pem");
    auto o = test::run_command("openssl x509 -noout -text -in " + ocsp);
    EXPECT_NE(o.output.find("OCSP Signing"), std::string::npos) << o.output;
    EXPECT_NE(o.output.find("OCSP No Check"), std::string::npos) << o.output;
    auto t = test::run_command("openssl x509 -noout -ext extendedKeyUsage -in " + tsa);
    EXPECT_NE(t.output.find("critical"), std::string::npos) << t.output;
    EXPECT_NE(t.output.find("Time Stamping"), std::string::npos) << t.output;
}

TEST_P(CaTest, SignerCertificateFollowsTheProfileAndVerifies) {
    auto issued = ca.issue_from_csr(
        make_csr("/C=MO/O=Direcção dos Serviços X/OU=IT/title=Técnico/CN=陳大文 Chan Tai Man/serialNumber=YQ-0042/emailAddress=chan@x.gov.mo"),
        "signer", "test");
    std::string cert = pem_file(issued.certificate.get(), "user.pem");
    std::string chain = dir.file("chain.pem");
    test::write_file(chain, pki::to_pem(ca.issuing_certificate()));
    auto v = test::run_command("openssl verify -x509_strict -CAfile " + pem_file(ca.root_certificate(), "r.pem") +
                               " -untrusted " + chain + " " + cert);
    EXPECT_NE(v.output.find(": OK"), std::string::npos) << v.output;
    auto text = test::run_command("openssl x509 -noout -text -nameopt utf8 -in " + cert).output;
    EXPECT_NE(text.find("Digital Signature, Non Repudiation"), std::string::npos) << text;
    EXPECT_NE(text.find("CRL Distribution Points"), std::string::npos);
    EXPECT_NE(text.find("OCSP - URI:http://127.0.0.1:8080/ocsp"), std::string::npos);
    EXPECT_NE(text.find("CA Issuers - URI:http://127.0.0.1:8080/repo/issuing.crt"), std::string::npos);
    EXPECT_NE(text.find("email:chan@x.gov.mo"), std::string::npos);
    EXPECT_NE(text.find("陳大文 Chan Tai Man"), std::string::npos);
    EXPECT_NE(text.find(config.ca.profiles.at("signer").policy_oids.at(0)), std::string::npos);
    // 3-year validity from the fixed clock
    EXPECT_EQ(issued.record.not_after - issued.record.not_before, 3 * 365 * 86400);
    // RFC 5280 §4.1.2.2: positive, at most 20 octets
    const ASN1_INTEGER* serial = X509_get0_serialNumber(issued.certificate.get());
    EXPECT_EQ(ASN1_STRING_length(serial), 20);
    EXPECT_EQ(ASN1_STRING_type(serial), V_ASN1_INTEGER);  // not V_ASN1_NEG_INTEGER
    EXPECT_EQ(store.find_certificate(issued.record.serial)->subject, issued.record.subject);
    // audited before and after the CA signature
    auto events = store.all_events();
    ASSERT_GE(events.size(), 2u);
    EXPECT_EQ(events[events.size() - 2].event.action, "ca.certificate.signing");
    EXPECT_EQ(events.back().event.action, "ca.certificate.issued");
    EXPECT_EQ(events.back().event.object, "certificate:" + issued.record.serial);
    EXPECT_EQ(events[events.size() - 2].event.object, events.back().event.object);
}

TEST_P(CaTest, BadRequestsAreRefusedWithStableCodesAndNothingWritten) {
    std::size_t events_before = store.all_events().size();
    EXPECT_EQ(test::error_code_of([&] { ca.issue_from_csr(core::to_bytes("not a csr"), "signer", "t"); }), "ca.bad_csr");
    EXPECT_EQ(test::error_code_of([&] { ca.issue_from_csr(make_csr("/O=A/CN=B/serialNumber=1"), "nosuch", "t"); }),
              "ca.unknown_profile");
    EXPECT_EQ(test::error_code_of([&] { ca.issue_from_csr(make_csr("/O=A/CN=B"), "signer", "t"); }), "ca.subject_incomplete");
    EXPECT_EQ(test::error_code_of([&] { ca.issue_from_csr(make_csr("/O=A/CN=B/serialNumber=1/L=Macau"), "signer", "t"); }),
              "ca.subject_not_allowed");
    EXPECT_EQ(test::error_code_of([&] {
                  ca.issue_from_csr(make_csr("/O=A/CN=B/serialNumber=1", "-newkey rsa:1024"), "signer", "t");
              }),
              "ca.weak_key");
    // A request whose signature does not match its key (no proof of possession): flip a byte in the signature.
    core::Bytes pem = make_csr("/O=A/CN=B/serialNumber=1");
    std::string der_path = dir.file("r.der");
    test::write_file(dir.file("r.pem"), std::string(pem.begin(), pem.end()));
    test::run_command("openssl req -in " + dir.file("r.pem") + " -outform DER -out " + der_path);
    std::string der = test::read_file(der_path);
    der[der.size() - 5] ^= 0x01;
    EXPECT_EQ(test::error_code_of([&] { ca.issue_from_csr(core::Bytes(der.begin(), der.end()), "signer", "t"); }),
              "ca.csr_signature_invalid");
    EXPECT_EQ(store.all_events().size(), events_before);
}

namespace {
// Sends an OpenSSL-built request to our responder and parses the answer with OpenSSL.
OCSP_RESPONSE* exchange(pki::OcspResponder& responder, OCSP_REQUEST* req) {
    int len = i2d_OCSP_REQUEST(req, nullptr);
    core::Bytes der(static_cast<std::size_t>(len));
    unsigned char* p = der.data();
    i2d_OCSP_REQUEST(req, &p);
    core::Bytes out = responder.respond(der);
    const unsigned char* q = out.data();
    return d2i_OCSP_RESPONSE(nullptr, &q, static_cast<long>(out.size()));
}

// Asks our responder through OpenSSL's own request builder and reads the status back.
int ocsp_status(pki::OcspResponder& responder, X509* cert, X509* issuer, bool nonce, int* reason = nullptr) {
    OCSP_REQUEST* req = OCSP_REQUEST_new();
    OCSP_request_add0_id(req, OCSP_cert_to_id(EVP_sha1(), cert, issuer));
    if (nonce) OCSP_request_add1_nonce(req, nullptr, -1);
    OCSP_RESPONSE* resp = exchange(responder, req);
    int status = -1;
    if (resp && OCSP_response_status(resp) == OCSP_RESPONSE_STATUS_SUCCESSFUL) {
        OCSP_BASICRESP* basic = OCSP_response_get1_basic(resp);
        if (nonce) {
            EXPECT_EQ(OCSP_check_nonce(req, basic), 1);  // RFC 6960 §4.4.1 nonce echoed
        }
        OCSP_CERTID* id = OCSP_cert_to_id(EVP_sha1(), cert, issuer);
        int r = -1;
        OCSP_resp_find_status(basic, id, &status, &r, nullptr, nullptr, nullptr);
        if (reason) *reason = r;
        OCSP_CERTID_free(id);
        OCSP_BASICRESP_free(basic);
    }
    OCSP_RESPONSE_free(resp);
    OCSP_REQUEST_free(req);
    return status;
}
}  // namespace

TEST_P(CaTest, RevocationReachesOcspAndTheCrlAtOnce) {
    auto issued = ca.issue_from_csr(make_csr("/O=A/CN=B/serialNumber=7"), "signer", "test");
    pki::OcspResponder responder(ca);
    responder.refresh_if_status_changed();
    EXPECT_EQ(ocsp_status(responder, issued.certificate.get(), ca.issuing_certificate(), false), V_OCSP_CERTSTATUS_GOOD);
    EXPECT_EQ(ocsp_status(responder, issued.certificate.get(), ca.issuing_certificate(), true), V_OCSP_CERTSTATUS_GOOD);

    clock.advance(std::chrono::seconds(60));
    ca.revoke(issued.record.serial, "affiliationChanged", std::nullopt, "test");
    responder.refresh_if_status_changed();
    int reason = -1;
    EXPECT_EQ(ocsp_status(responder, issued.certificate.get(), ca.issuing_certificate(), false, &reason),
              V_OCSP_CERTSTATUS_REVOKED);
    EXPECT_EQ(reason, 3);  // RFC 5280 affiliationChanged
    EXPECT_EQ(ocsp_status(responder, issued.certificate.get(), ca.issuing_certificate(), true), V_OCSP_CERTSTATUS_REVOKED);

    auto crl = store.latest_crl();
    ASSERT_TRUE(crl);
    test::write_file(dir.file("c.der"), std::string(crl->der.begin(), crl->der.end()));
    auto text = test::run_command("openssl crl -inform DER -noout -text -in " + dir.file("c.der")).output;
    std::string upper = issued.record.serial;
    for (char& c : upper) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
    EXPECT_NE(text.find(upper), std::string::npos) << text;
    EXPECT_NE(text.find("Affiliation Changed"), std::string::npos);
    EXPECT_NE(text.find("X509v3 CRL Number"), std::string::npos);
    auto v = test::run_command("openssl crl -inform DER -noout -in " + dir.file("c.der") + " -CAfile " +
                               pem_file(ca.issuing_certificate(), "i.pem"));
    EXPECT_NE(v.output.find("verify OK"), std::string::npos) << v.output;
}

TEST_P(CaTest, SerialNeverIssuedIsUnknownAndForeignIssuerIsUnauthorized) {
    pki::OcspResponder responder(ca);
    X509* issuer = ca.issuing_certificate();
    auto ask = [&](OCSP_CERTID* id, int* response_status) {
        OCSP_REQUEST* req = OCSP_REQUEST_new();
        OCSP_request_add0_id(req, id);
        OCSP_request_add1_nonce(req, nullptr, -1);
        OCSP_RESPONSE* resp = exchange(responder, req);
        *response_status = OCSP_response_status(resp);
        int status = -1;
        if (*response_status == OCSP_RESPONSE_STATUS_SUCCESSFUL) {
            OCSP_BASICRESP* basic = OCSP_response_get1_basic(resp);
            OCSP_SINGLERESP* single = OCSP_resp_get0(basic, 0);
            status = OCSP_single_get0_status(single, nullptr, nullptr, nullptr, nullptr);
            OCSP_BASICRESP_free(basic);
        }
        OCSP_RESPONSE_free(resp);
        OCSP_REQUEST_free(req);
        return status;
    };
    pki::Asn1IntegerPtr never_issued = pki::random_serial();
    OCSP_CERTID* id = OCSP_cert_id_new(EVP_sha1(), X509_get_subject_name(issuer), X509_get0_pubkey_bitstr(issuer),
                                       never_issued.get());
    int response_status = -1;
    EXPECT_EQ(ask(id, &response_status), V_OCSP_CERTSTATUS_UNKNOWN);  // RFC 6960 §2.2
    EXPECT_EQ(response_status, OCSP_RESPONSE_STATUS_SUCCESSFUL);
    // a CertID for another CA: this responder is not authoritative (RFC 6960 §2.3 unauthorized)
    X509* root = ca.root_certificate();
    OCSP_CERTID* foreign = OCSP_cert_id_new(EVP_sha1(), X509_get_subject_name(root), X509_get0_pubkey_bitstr(root),
                                            never_issued.get());
    ask(foreign, &response_status);
    EXPECT_EQ(response_status, OCSP_RESPONSE_STATUS_UNAUTHORIZED);
}

TEST_P(CaTest, MalformedOcspRequestGetsMalformedRequestStatus) {
    pki::OcspResponder responder(ca);
    for (const core::Bytes& junk : {core::Bytes{}, core::Bytes{0x30, 0x03, 0x02, 0x01}, core::to_bytes("hello")}) {
        core::Bytes out = responder.respond(junk);
        const unsigned char* q = out.data();
        OCSP_RESPONSE* resp = d2i_OCSP_RESPONSE(nullptr, &q, static_cast<long>(out.size()));
        ASSERT_NE(resp, nullptr);
        EXPECT_EQ(OCSP_response_status(resp), OCSP_RESPONSE_STATUS_MALFORMEDREQUEST);
        OCSP_RESPONSE_free(resp);
    }
}

TEST_P(CaTest, TimeStampTokensVerifyWithOpenSslAndSerialsIncrease) {
    pki::TimeStampAuthority tsa(ca);
    const core::Bytes q = time_stamp_query("contract text");
    std::string verdict = verify_time_stamp(tsa.respond(q), "r.tsr");
    EXPECT_NE(verdict.find("Verification: OK"), std::string::npos) << verdict;
    auto text = test::run_command("openssl ts -reply -in " + dir.file("r.tsr") + " -text").output;
    EXPECT_NE(text.find("Policy OID: " + config.tsa.policy_oid), std::string::npos) << text;
    EXPECT_NE(text.find("Accuracy: 0x01 seconds"), std::string::npos);

    core::Bytes reply2 = tsa.respond(q);
    test::write_file(dir.file("r2.tsr"), std::string(reply2.begin(), reply2.end()));
    auto text2 = test::run_command("openssl ts -reply -in " + dir.file("r2.tsr") + " -text").output;
    EXPECT_NE(text.find("Serial number: 0x01"), std::string::npos);
    EXPECT_NE(text2.find("Serial number: 0x02"), std::string::npos) << text2;

    core::Bytes rejected = tsa.respond(core::to_bytes("garbage"));
    test::write_file(dir.file("bad.tsr"), std::string(rejected.begin(), rejected.end()));
    auto bad = test::run_command("openssl ts -reply -in " + dir.file("bad.tsr") + " -text").output;
    EXPECT_NE(bad.find("Status: Rejected"), std::string::npos) << bad;
    EXPECT_NE(bad.find("Bad request format or system error"), std::string::npos) << bad;  // failInfo badDataFormat
}

// #17 (the clock jumping back): RFC 3161 §2.4.2 — genTime is when the token was made. A TSA whose clock went back
// would date new tokens before ones it already issued; it refuses (failInfo timeNotAvailable) until its clock has
// caught up with the latest genTime, allowing the accuracy its tokens claim (1 s); serial numbers never repeat.
TEST_P(CaTest, ClockJumpingBackMakesTheTsaRefuseNotBackdate) {
    pki::TimeStampAuthority tsa(ca);
    const core::Bytes q = time_stamp_query("minutes of the meeting", false);
    auto stamp = [&](const std::string& name) {
        core::Bytes reply = tsa.respond(q);
        test::write_file(dir.file(name), std::string(reply.begin(), reply.end()));
        return test::run_command("openssl ts -reply -in " + dir.file(name) + " -text").output;
    };
    auto serial_of = [](const std::string& text) { return text.substr(text.find("Serial number: ") + 15, 6); };
    std::string first = stamp("1.tsr");
    ASSERT_NE(first.find("Status: Granted"), std::string::npos) << first;
    clock.advance(std::chrono::hours(-2));
    std::string behind = stamp("2.tsr");
    EXPECT_NE(behind.find("Status: Rejected"), std::string::npos) << behind;
    EXPECT_NE(behind.find("the TSA's time source is not available"), std::string::npos) << behind;  // timeNotAvailable
    EXPECT_EQ(test::error_code_of([&] { tsa.stamp_hash(core::sha256(std::string("x")), "SHA256", ""); }),
              "tsa.time_not_available");
    clock.advance(std::chrono::hours(2));
    std::string caught_up = stamp("3.tsr");
    ASSERT_NE(caught_up.find("Status: Granted"), std::string::npos) << caught_up;
    EXPECT_NE(serial_of(caught_up), serial_of(first));
    clock.advance(std::chrono::seconds(-1));  // within the claimed accuracy (1 s): nodes' clocks may differ that much
    EXPECT_NE(stamp("4.tsr").find("Status: Granted"), std::string::npos);
}

INSTANTIATE_TEST_SUITE_P(Backends, CaTest, ::testing::ValuesIn(test::db_kinds()), test::db_kind_name);

TEST_P(CaTest, IssuesForAKeyHeldInTheHsmWithoutACsr) {
    core::Bytes spki = keys.generate_key_pair("user-key", keystore::KeyType::EcP256);
    auto issued = ca.sign_for_public_key(
        spki, {{"CN", "黃小明 Wong Siu Ming"}, {"O", "Agency"}, {"serialNumber", "YQ-9"}, {"emailAddress", "w@x.gov.mo"}},
        "signer", "test");
    // #17: signed, not stored, until the caller stores it with what holds its key
    EXPECT_FALSE(store.find_certificate(issued.record.serial));
    ca.store_issued(issued, "test");
    EXPECT_TRUE(store.find_certificate(issued.record.serial));
    // the certificate carries exactly the HSM key
    EVP_PKEY* pub = X509_get0_pubkey(issued.certificate.get());
    int len = i2d_PUBKEY(pub, nullptr);
    core::Bytes der(static_cast<std::size_t>(len));
    unsigned char* p = der.data();
    i2d_PUBKEY(pub, &p);
    EXPECT_EQ(der, spki);
    // subject attributes come out in the profile's order whatever the input order
    EXPECT_EQ(issued.record.subject.rfind("emailAddress=w@x.gov.mo,serialNumber=YQ-9,CN=", 0), 0u) << issued.record.subject;
    EXPECT_EQ(test::error_code_of([&] { ca.sign_for_public_key(core::Bytes{1, 2, 3}, {{"CN", "x"}}, "signer", "t"); }),
              "ca.bad_public_key");
    EXPECT_EQ(test::error_code_of([&] {
                  ca.sign_for_public_key(spki, {{"CN", "x"}, {"O", "y"}, {"serialNumber", "1"}, {"emailAddress", "nope"}},
                                         "signer", "t");
              }),
              "ca.subject_invalid");
}

// #14 (Boulder's rule): "ca.certificate.signing" is written before the HSM signs, so that an issuance failing after
// the signature still leaves evidence of it. Issued inside a unit of work, that event would roll back with the
// failure (and the unit of work would hold the database writer across the HSM): the CA refuses to sign there at all,
// before the HSM is asked. Outside one, a failed store of the certificate row leaves the "before" event in the chain.
TEST_P(CaTest, IssuanceFailureCannotRollBackItsBeforeEvent) {
    core::Bytes spki = keys.generate_key_pair("user-key", keystore::KeyType::EcP256);
    pki::SubjectFields subject{{"CN", "黃小明 Wong Siu Ming"}, {"O", "Agency"}, {"serialNumber", "YQ-10"}};
    auto count = [&](const std::string& action) {
        int n = 0;
        for (const auto& e : store.all_events()) n += e.event.action == action;
        return n;
    };
    std::size_t certificates = store.list_certificates(100, 0).size();
    int signing = count("ca.certificate.signing"), issued = count("ca.certificate.issued");
    EXPECT_EQ(test::error_code_of([&] {
                  store.atomically([&] { ca.sign_for_public_key(spki, subject, "signer", "t"); });
              }),
              "audit.event_inside_unit_of_work");
    EXPECT_EQ(count("ca.certificate.signing"), signing);
    EXPECT_EQ(store.list_certificates(100, 0).size(), certificates);

    database.refuse_inserts_into("certificates");
    auto signed_certificate = ca.sign_for_public_key(spki, subject, "signer", "t");
    EXPECT_NE(test::error_code_of([&] { ca.store_issued(signed_certificate, "t"); }), "(no error)");
    EXPECT_EQ(count("ca.certificate.signing"), signing + 1);  // the attempt is on record
    EXPECT_EQ(count("ca.certificate.issued"), issued);
    EXPECT_EQ(store.list_certificates(100, 0).size(), certificates);
}

TEST_P(CaTest, InvalidityDateAndReasonAppearInCrlEntry) {
    auto issued = ca.issue_from_csr(make_csr("/O=A/CN=B/serialNumber=8"), "signer", "test");
    clock.advance(std::chrono::hours(2));
    EXPECT_EQ(test::error_code_of([&] { ca.revoke(issued.record.serial, "keyCompromise", clock.unix_seconds() + 60, "t"); }),
              "ca.bad_invalidity_date");
    EXPECT_EQ(test::error_code_of([&] { ca.revoke("zz", "keyCompromise", std::nullopt, "t"); }), "ca.bad_serial");
    EXPECT_EQ(test::error_code_of([&] { ca.revoke("abcdef", "keyCompromise", std::nullopt, "t"); }), "ca.unknown_serial");
    ca.revoke(issued.record.serial, "keyCompromise", clock.unix_seconds() - 3600, "test");
    auto crl = store.latest_crl();
    test::write_file(dir.file("c.der"), std::string(crl->der.begin(), crl->der.end()));
    auto text = test::run_command("openssl crl -inform DER -noout -text -in " + dir.file("c.der")).output;
    EXPECT_NE(text.find("Invalidity Date"), std::string::npos) << text;
    EXPECT_NE(text.find("Key Compromise"), std::string::npos) << text;
    auto record = store.find_certificate(issued.record.serial);
    EXPECT_EQ(record->invalidity_date, clock.unix_seconds() - 3600);
}

// #14: revoking a certificate must not hold the database writer while the HSM signs the revoked OCSP answer and the
// new CRL (every signer and every other node would wait on it). The CA reads its clock while it builds what the HSM
// signs; a clock that looks at the database then finds no unit of work open. A revocation or a CRL asked for inside a
// unit of work is refused before anything is written or signed, and the CRL is audited before and after its signature.
TEST_P(CaTest, RevocationSignsItsOcspAnswerAndCrlWithNoTransactionOpen) {
    struct WatchingClock final : core::Clock {
        const storage::Database& db;
        std::int64_t seconds;
        mutable int reads = 0, reads_in_transaction = 0;
        WatchingClock(const storage::Database& d, std::int64_t s) : db(d), seconds(s) {}
        core::TimePoint now() const override {
            ++reads;
            reads_in_transaction += db.in_transaction() ? 1 : 0;
            return core::TimePoint(core::Seconds(seconds));
        }
    } watching{database.db(), clock.unix_seconds()};
    pki::CertificateAuthority watched{config, keys, store, watching};
    auto issued = ca.issue_from_csr(make_csr("/O=A/CN=Watched/serialNumber=9"), "signer", "test");
    auto count = [&](const std::string& action) {
        int n = 0;
        for (const auto& e : store.all_events()) n += e.event.action == action;
        return n;
    };
    int published = count("ca.crl.published");
    EXPECT_EQ(test::error_code_of([&] {
                  store.atomically([&] { watched.revoke(issued.record.serial, "keyCompromise", std::nullopt, "t"); });
              }),
              "audit.event_inside_unit_of_work");
    EXPECT_EQ(store.find_certificate(issued.record.serial)->status, "valid");
    EXPECT_EQ(test::error_code_of([&] { store.atomically([&] { watched.publish_crl("t"); }); }),
              "audit.event_inside_unit_of_work");
    EXPECT_EQ(count("ca.crl.signing"), count("ca.crl.published"));

    watching.reads = watching.reads_in_transaction = 0;
    watched.revoke(issued.record.serial, "keyCompromise", std::nullopt, "t");
    EXPECT_GE(watching.reads, 3);  // the revocation, the OCSP answer, the CRL
    EXPECT_EQ(watching.reads_in_transaction, 0) << "the HSM signed while a transaction was open";
    EXPECT_EQ(count("ca.crl.published"), published + 1);
    auto events = store.all_events();
    ASSERT_GE(events.size(), 3u);
    EXPECT_EQ(events[events.size() - 3].event.action, "ca.certificate.revoked");
    EXPECT_EQ(events[events.size() - 2].event.action, "ca.crl.signing");
    EXPECT_EQ(events.back().event.action, "ca.crl.published");
    EXPECT_EQ(events.back().event.object, events[events.size() - 2].event.object);
    // the stored answer says revoked (signed after the commit), and openssl reads it so
    auto stored = store.ocsp_response(issued.record.serial);
    ASSERT_TRUE(stored);
    test::write_file(dir.file("r.der"), std::string(stored->der.begin(), stored->der.end()));
    auto text = test::run_command("openssl ocsp -respin " + dir.file("r.der") + " -resp_text -noverify").output;
    EXPECT_NE(text.find("Cert Status: revoked"), std::string::npos) << text;
}

// #17, fault "the HSM session closed under the server": the CA, OCSP and TSA keys sign through OpenSSL
// (keystore::Keystore::private_key); after the HSM closed every session they must still issue, publish, answer and
// stamp, with nothing restarted, and openssl must accept what they made.
TEST_P(CaTest, HsmSessionsClosedUnderTheCaAreReopenedForCertificatesCrlsOcspAndTimeStamps) {
    pki::OcspResponder responder(ca);
    pki::TimeStampAuthority tsa(ca);
    auto warm = ca.issue_from_csr(make_csr("/O=A/CN=Before/serialNumber=1"), "signer", "test");  // keys loaded, cached
    responder.refresh_if_status_changed();
    std::string root = pem_file(ca.root_certificate(), "root.pem"), issuing = pem_file(ca.issuing_certificate(), "i.pem");

    token.close_all_sessions();
    auto issued = ca.issue_from_csr(make_csr("/O=A/CN=After/serialNumber=2"), "signer", "test");
    auto v = test::run_command("openssl verify -CAfile " + root + " -untrusted " + issuing + " " +
                               pem_file(issued.certificate.get(), "after.pem"));
    EXPECT_NE(v.output.find(": OK"), std::string::npos) << v.output;

    token.close_all_sessions();
    ca.revoke(warm.record.serial, "keyCompromise", std::nullopt, "test");  // the CRL and the pre-signed OCSP answer
    auto crl = store.latest_crl();
    ASSERT_TRUE(crl);
    test::write_file(dir.file("c.der"), std::string(crl->der.begin(), crl->der.end()));
    auto c = test::run_command("openssl crl -inform DER -noout -in " + dir.file("c.der") + " -CAfile " + issuing);
    EXPECT_NE(c.output.find("verify OK"), std::string::npos) << c.output;

    token.close_all_sessions();  // an OCSP request with a nonce is signed on demand
    responder.refresh_if_status_changed();
    EXPECT_EQ(ocsp_status(responder, warm.certificate.get(), ca.issuing_certificate(), true), V_OCSP_CERTSTATUS_REVOKED);

    token.close_all_sessions();
    std::string verdict = verify_time_stamp(tsa.respond(time_stamp_query("stamped after the HSM came back")), "r.tsr");
    EXPECT_NE(verdict.find("Verification: OK"), std::string::npos) << verdict;
    EXPECT_EQ(keys.sessions_reopened(), 4u);
}
