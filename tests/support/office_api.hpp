#pragma once
// The registration office's API as the end-to-end and browser tests drive it: staff made with the CLI and signed in
// with password + TOTP, an agency under a confirmed letter, an application ready for approval, the PIN letter and the
// user's own signing password, the next free appointment slot. Test support only (EXPECT on every step).
#include <gtest/gtest.h>

#include <ctime>
#include <map>
#include <nlohmann/json.hpp>
#include <string>

#include "core/bytes.hpp"
#include "core/clock.hpp"
#include "support/fixtures.hpp"
#include "support/http_client.hpp"

namespace yq::test::office {

using nlohmann::json;

struct Reply {
    int status = 0;
    json body;
};

struct Api {
    int port = 0;

    Reply call(const std::string& method, const std::string& path, const std::string& token,
               const json& body = nullptr) const {
        std::map<std::string, std::string> headers;
        if (!token.empty()) headers["Authorization"] = "Bearer " + token;
        auto r = test::http_request(method, port, path, body.is_null() ? "" : body.dump(),
                                    body.is_null() ? "" : "application/json", "", "127.0.0.1", headers);
        return Reply{r.status, r.body.empty() ? json() : json::parse(r.body, nullptr, false)};
    }
    Reply upload(const std::string& token, const std::string& bytes) const {
        auto r = test::http_request("POST", port, "/api/v1/documents", bytes, "application/octet-stream", "",
                                    "127.0.0.1", {{"Authorization", "Bearer " + token}});
        return Reply{r.status, json::parse(r.body, nullptr, false)};
    }
    // Uploads `bytes` and attaches them to the case as `doc_type`.
    void attach(const std::string& token, const std::string& case_id, const std::string& doc_type,
                const std::string& bytes) const {
        auto up = upload(token, bytes);
        ASSERT_EQ(up.status, 201) << up.body;
        auto r = call("POST", "/api/v1/cases/" + case_id + "/documents", token,
                      {{"doc_type", doc_type}, {"sha256", up.body["sha256"]}});
        ASSERT_EQ(r.status, 201) << r.body;
    }
};

// Small but real documents: the office decides the type by content.
inline std::string pdf(const std::string& title) { return "%PDF-1.4\n% " + title + "\n%%EOF\n"; }
inline std::string png() { return std::string("\x89PNG\r\n\x1a\n", 8) + std::string(32, '\0'); }
inline std::string jpeg() { return std::string("\xFF\xD8\xFF\xE0", 4) + std::string(32, '\0'); }

struct Staff {
    std::string username, token, otp_secret, login_otp;  // login_otp: the code that proved the enrolment (step used)
};

// The first sign-in of a fresh or reset staff sign-in: the one-time password alone, then the person's own
// authenticator enrolled (#14: nobody else sees its secret). Returns the session's token and fills the secret and
// the code used.
inline std::string first_staff_sign_in(const Api& api, Staff& s, const std::string& one_time_password) {
    auto login = api.call("POST", "/api/v1/staff/login", "", {{"username", s.username}, {"password", one_time_password}});
    EXPECT_EQ(login.status, 200) << login.body;
    EXPECT_TRUE(login.body.value("must_change_password", false));
    EXPECT_TRUE(login.body.value("must_enrol", false));
    std::string token = login.body.value("access_token", "");
    auto enrolment = api.call("POST", "/api/v1/staff/me/totp", token);
    EXPECT_EQ(enrolment.status, 200) << enrolment.body;
    s.otp_secret = enrolment.body.value("secret", "");
    s.login_otp = test::totp_now(s.otp_secret);
    auto confirmed = api.call("POST", "/api/v1/staff/me/totp/confirm", token,
                              {{"candidate", enrolment.body.value("candidate", "")}, {"otp", s.login_otp}});
    EXPECT_EQ(confirmed.status, 204) << confirmed.body;
    return token;
}

// A staff sign-in made with the CLI, signed in with the one-time password, authenticator enrolled, password replaced.
inline Staff sign_in_staff(const test::ServerProcess& server, const Api& api, const std::string& username,
                    const std::string& roles, const std::string& representative_id = "") {
    auto made = server.cli("admin create-staff --user " + username + " --roles " + roles +
                           (representative_id.empty() ? "" : " --representative " + representative_id));
    EXPECT_EQ(made.exit_code, 0) << made.output;
    const std::string before_password = "change it at first sign-in):\n  ";
    auto marker = made.output.find(before_password);
    EXPECT_NE(marker, std::string::npos) << made.output;
    std::string rest = made.output.substr(marker + before_password.size());
    std::string password = rest.substr(0, rest.find('\n'));
    EXPECT_EQ(made.output.find("otpauth://"), std::string::npos) << "the administrator must not see the authenticator";
    Staff s{username, "", "", ""};
    s.token = first_staff_sign_in(api, s, password);
    auto changed = api.call("POST", "/api/v1/staff/me/password", s.token,
                            {{"old_password", password}, {"new_password", username + "-chosen-password"}});
    EXPECT_EQ(changed.status, 204) << changed.body;
    return s;
}

inline std::string today_in_macau(std::int64_t offset_days = 0) {
    std::time_t t = std::time(nullptr) + 8 * 3600 + offset_days * 86400;
    std::tm tm{};
    gmtime_r(&t, &tm);
    char buf[16];
    std::strftime(buf, sizeof buf, "%Y-%m-%d", &tm);
    return buf;
}

// The office is open around the clock in these tests (5-minute slots), so an appointment is always minutes away;
// one day ten days ahead is a holiday.
inline std::string office_config(const std::string& extra = "") {
    return R"({"accounts": {"otp_required": false},
               "office": {"hours": ["00:00-24:00","00:00-24:00","00:00-24:00","00:00-24:00","00:00-24:00",
                                    "00:00-24:00","00:00-24:00"],
                          "slot_minutes": 5, "holidays": [")" +
           today_in_macau(10) + R"("]},
               "ra": {"max_document_bytes": 65536})" +
           extra + "}";
}

struct RegisteredAgency {
    std::string id, delegate_id, letter_id;
};

// Agency with a delegate representative under a confirmed letter (scopes apply, revoke).
inline RegisteredAgency register_agency(const Api& api, const Staff& officer, const Staff& supervisor,
                                 const std::string& code = "DSAJ-01") {
    RegisteredAgency out;
    auto created = api.call("POST", "/api/v1/agencies", officer.token,
                            {{"kind", "government"},
                             {"name_zh", "法務局"},
                             {"name_pt", "Direcção dos Serviços de Assuntos de Justiça"},
                             {"name_en", "Legal Affairs Bureau"},
                             {"code", code},
                             {"address", "Rua do Campo, Macau"},
                             {"head", {{"name", "梁局長 Leong"}, {"title", "局長"}}},
                             {"contact", {{"name", "何聯絡 Ho"}, {"email", "ho@dsaj.gov.mo"}}},
                             {"representative",
                              {{"name", "黃代表 Wong"}, {"title", "副局長"}, {"is_head", false},
                               {"id_type", "macau_bir"}, {"id_number", "5123456(7)"}}}});
    EXPECT_EQ(created.status, 201) << created.body;
    out.id = created.body["agency"]["id"];
    out.delegate_id = created.body["representative_id"];
    api.attach(officer.token, out.id, "agency_application_form", pdf("agency form " + code));
    api.attach(officer.token, out.id, "representative_id_copy", jpeg());
    api.attach(officer.token, out.id, "contact_id_copy", png());
    api.attach(officer.token, out.id, "authorisation_letter", pdf("letter " + code));
    EXPECT_EQ(api.call("POST", "/api/v1/agencies/" + out.id + "/submit", officer.token).status, 200);
    EXPECT_EQ(api.call("POST", "/api/v1/agencies/" + out.id + "/check-documents", officer.token).status, 200);
    auto approved = api.call("POST", "/api/v1/agencies/" + out.id + "/approve", supervisor.token);
    EXPECT_EQ(approved.status, 200) << approved.body;

    auto letter = api.call("POST", "/api/v1/agencies/" + out.id + "/letters", officer.token,
                           {{"representative_id", out.delegate_id},
                            {"scopes", {"apply", "revoke"}},
                            {"valid_from", "2026-01-01T00:00:00Z"}});
    EXPECT_EQ(letter.status, 201) << letter.body;
    out.letter_id = letter.body.value("id", "");
    api.attach(officer.token, out.letter_id, "authorisation_letter", pdf("letter scan " + code));
    auto confirmed = api.call("POST", "/api/v1/letters/" + out.letter_id + "/confirm", supervisor.token);
    EXPECT_EQ(confirmed.status, 200) << confirmed.body;
    return out;
}

// An application filed, signed off under the letter, documents checked and the original ID sighted.
inline std::string ready_application(const Api& api, const Staff& officer, const RegisteredAgency& agency,
                              const std::string& username, const std::string& id_number) {
    auto app = api.call("POST", "/api/v1/applications", officer.token,
                        {{"agency_id", agency.id},
                         {"username", username},
                         {"display_name", "陳大文 Chan Tai Man"},
                         {"email", username + "@dsaj.gov.mo"},
                         {"department", "Registry"},
                         {"title", "Technician"},
                         {"user_kind", "government"},
                         {"services", {"cloud_signing"}}});
    EXPECT_EQ(app.status, 201) << app.body;
    std::string id = app.body.value("id", "");
    EXPECT_EQ(api.call("POST", "/api/v1/applications/" + id + "/sign-off", officer.token,
                       {{"representative_id", agency.delegate_id}})
                  .status,
              200);
    api.attach(officer.token, id, "service_application_form", pdf("service form " + username));
    api.attach(officer.token, id, "user_id_copy", jpeg() + username);
    EXPECT_EQ(api.call("POST", "/api/v1/applications/" + id + "/check-documents", officer.token).status, 200);
    auto sighted = api.call("POST", "/api/v1/applications/" + id + "/identity", officer.token,
                            {{"id_type", "macau_bir"}, {"id_number", id_number}});
    EXPECT_EQ(sighted.status, 200) << sighted.body;
    return id;
}

// The first slot that starts after now (the test office is open around the clock).
inline std::string next_free_slot(const Api& api) {
    for (const auto& day : {today_in_macau(0), today_in_macau(1)}) {
        auto slots = api.call("GET", "/api/v1/appointments/slots?date=" + day, "");
        for (const auto& s : slots.body["slots"])
            if (core::parse_rfc3339(s["start"]) > std::time(nullptr) + 5 && s["free"].get<int>() > 0) return s["start"];
    }
    return "";
}

struct Signer {
    std::string username, csc_token, credential, signing_password;
};

// CSC auth/login with a login password.
inline std::string csc_login(const Api& api, const std::string& username, const std::string& password) {
    std::string basic = core::base64_encode(core::to_bytes(username + ":" + password));
    auto r = test::http_request("POST", api.port, "/csc/v2/auth/login", "", "", "", "127.0.0.1",
                                {{"Authorization", "Basic " + basic}});
    EXPECT_EQ(r.status, 200) << r.body;
    return json::parse(r.body, nullptr, false).value("access_token", "");
}

inline Reply authorize(const Api& api, const Signer& s, const std::string& password, const std::string& hash_b64) {
    return api.call("POST", "/csc/v2/credentials/authorize", s.csc_token,
                    {{"credentialID", s.credential},
                     {"numSignatures", 1},
                     {"hashes", {hash_b64}},
                     {"hashAlgorithmOID", "2.16.840.1.101.3.4.2.1"},
                     {"authData", {{{"id", "PIN"}, {"value", password}}}}});
}

// Signs `text` through CSC and returns openssl's verdict on the signature.
inline std::string sign_and_verify(const Api& api, const test::TempDir& work, const Signer& s, const std::string& text) {
    std::string hash = core::base64_encode(core::sha256(text));
    auto sad = authorize(api, s, s.signing_password, hash);
    EXPECT_EQ(sad.status, 200) << sad.body;
    auto sig = api.call("POST", "/csc/v2/signatures/signHash", s.csc_token,
                        {{"credentialID", s.credential},
                         {"SAD", sad.body.value("SAD", "")},
                         {"hashes", {hash}},
                         {"hashAlgorithmOID", "2.16.840.1.101.3.4.2.1"},
                         {"signAlgo", "1.2.840.10045.4.3.2"}});
    EXPECT_EQ(sig.status, 200) << sig.body;
    auto info = api.call("POST", "/csc/v2/credentials/info", s.csc_token, {{"credentialID", s.credential}, {"certificates", "single"}});
    if (sig.status != 200 || info.status != 200) return "no signature";
    return test::openssl_verify(work, info.body["cert"]["certificates"][0], text, sig.body["signatures"][0]);
}

// Approval → PIN letter (a one-time login password and no signing secret) → the user signs in and chooses the
// signing password, which makes the key and its certificate → ready to sign.
inline Signer open_account(const Api& api, const Staff& supervisor, const std::string& application_id) {
    auto approved = api.call("POST", "/api/v1/applications/" + application_id + "/approve", supervisor.token);
    EXPECT_EQ(approved.status, 200) << approved.body;
    const json& pin = approved.body["pin_letter"];
    Signer s;
    s.username = pin.value("username", "");
    s.csc_token = csc_login(api, s.username, pin.value("initial_login_password", ""));
    // No key exists before its owner chooses the signing password: nothing to list, nothing to authorise.
    auto listed = api.call("POST", "/csc/v2/credentials/list", s.csc_token, json::object());
    EXPECT_EQ(listed.status, 200) << listed.body;
    EXPECT_EQ(listed.body["credentialIDs"], json::array()) << listed.body;
    s.signing_password = s.username + "-own-signing-secret";
    auto made = api.call("POST", "/api/v1/me/signing-key", s.csc_token, {{"signing_password", s.signing_password}});
    EXPECT_EQ(made.status, 201) << made.body;
    s.credential = made.body.value("credential_id", "");
    return s;
}


}  // namespace yq::test::office
