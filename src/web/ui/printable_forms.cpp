#include "web/ui/printable_forms.hpp"

#include <algorithm>

#include "core/error.hpp"
#include "web/ui/i18n.hpp"

namespace yq::web {

namespace {

using nlohmann::json;

constexpr const char* kTicked = "☑";

// Personal-only fields: government and agency users leave them blank (the form says so beside each).
const std::vector<std::string> kBlankForGovernment = {"home_address", "professional_qualification"};

// A catalogue text in both languages of the form: {"zh", "pt"}.
json both_languages(const std::string& key) { return {{"zh", translate("zh-Hant", key)}, {"pt", translate("pt", key)}}; }

// 申請表填寫指引 (#16): the sample values are a made-up agency and user.
const FormValues& sample_values() {
    static const FormValues k{
        {{"agency_name_zh", "示例局"}, {"agency_name_pt", "Direcção dos Serviços de Exemplo"},
         {"agency_name_en", "Example Services Bureau"}, {"agency_code", "G-0042"},
         {"agency_address", "澳門示例大馬路 1 號 Avenida do Exemplo, n.º 1, Macau"},
         {"person_name", "陳大文 CHAN TAI MAN"}, {"person_title", "技術員 Técnico"}, {"id_type", "澳門居民身份證 BIR"},
         {"id_number", "1234567(8)"}, {"phone", "+853 0000 0000"}, {"email", "chan.taiman@example.gov.mo"},
         {"username", "chan.taiman"}, {"department", "資訊處 Divisão de Informática"}, {"valid_from", "2027-01-01"},
         {"valid_until", "2029-12-31"}, {"appointment_code", "K7QM-3XW2PA"}, {"revocation_reason", "離職 Saída do serviço"},
         {"type_government", "☑"}, {"scope_apply", "☑"}, {"scope_use", "☑"}, {"scope_revoke", "☑"}, {"scope_renew", "☑"},
         {"request_unlock", "☑"}},
        {},
        "☑ 雲簽"};
    return k;
}

// form → (field → callout number); the callout texts are forms.callouts.<form>.<number> in the catalogue.
const std::map<std::string, std::vector<std::pair<std::string, int>>>& callouts() {
    static const std::map<std::string, std::vector<std::pair<std::string, int>>> k{
        {"agency_application_form", {{"agency_code", 1}, {"person_name", 2}}},
        {"authorisation_letter", {{"scope_apply", 1}, {"scope_use", 3}, {"valid_until", 2}}},
        {"service_application_form", {{"type_government", 1}, {"username", 2}, {"home_address", 3}, {"service_other", 4}}},
        {"unlock_request_form", {{"request_unlock", 1}, {"appointment_code", 2}}},
        {"revocation_request_form", {{"revocation_reason", 1}}},
        {"renewal_request_form", {{"username", 1}}}};
    return k;
}

// The form's fixed texts in both languages.
json form_texts() {
    return {{"issuer", both_languages("site.name")},
            {"signature", both_languages("forms.signature")},
            {"seal", both_languages("forms.seal")},
            {"date", both_languages("forms.date")},
            {"office_use", both_languages("forms.office_use")},
            {"form_code", both_languages("forms.form_code")},
            {"form_version", both_languages("forms.form_version")},
            {"blank_note", both_languages("forms.blank_for_government")},
            {"other", both_languages("forms.service_other")},
            {"other_hint", both_languages("forms.service_other_hint")}};
}

}  // namespace

const std::map<std::string, FormSections>& printable_forms() {
    static const std::map<std::string, FormSections> k{
    {"agency_application_form", {{"agency", {"agency_name_zh", "agency_name_pt", "agency_name_en", "agency_code", "agency_address"}}, {"head", {"person_name", "person_title"}}, {"representative", {"person_name", "person_title", "id_type", "id_number", "phone", "email"}}, {"contact", {"person_name", "phone", "email"}}}},
    {"authorisation_letter", {{"agency", {"agency_name_zh", "agency_code"}}, {"head", {"person_name", "person_title"}}, {"representative", {"person_name", "person_title", "id_type", "id_number"}}, {"scope", {"scope_apply", "scope_use", "scope_revoke", "scope_renew", "valid_from", "valid_until"}}}},
    {"service_application_form", {{"user_type", {"type_government", "type_personal"}}, {"agency", {"agency_name_zh", "agency_code"}}, {"user", {"person_name", "username", "department", "person_title", "id_type", "id_number", "email", "phone", "home_address", "professional_qualification"}}, {"services", {}}, {"representative_sign_off", {"person_name", "person_title"}}}},
    {"unlock_request_form", {{"user", {"person_name", "username", "id_type", "id_number", "phone"}}, {"request", {"request_unlock", "request_rekey", "appointment_code"}}}},
    {"revocation_request_form", {{"user", {"person_name", "username", "id_type", "id_number", "phone"}}, {"revocation", {"revocation_reason"}}, {"representative_sign_off", {"person_name", "person_title"}}}},
    {"renewal_request_form", {{"user", {"person_name", "username", "id_type", "id_number", "phone"}}, {"representative_sign_off", {"person_name", "person_title"}}}},
    };
    return k;
}

json printable_form_view(const core::RaConfig& ra, const std::string& name) {
    auto form = printable_forms().find(name);
    if (form == printable_forms().end()) throw Error("ui.not_found", 404, "no such form");
    json out = json::array();
    for (const auto& [section, fields] : form->second) {
        json items = json::array();
        for (const auto& f : fields) {
            const bool tick = f.rfind("scope_", 0) == 0 || f.rfind("request_", 0) == 0 || f.rfind("type_", 0) == 0;
            items.push_back({{"key", f},
                             {"label", both_languages("forms.fields." + f)},
                             {"tick", tick},
                             {"box", tick ? "☐" : ""},  // one box per choice, before both languages' words
                             {"blank_for_government",
                              std::find(kBlankForGovernment.begin(), kBlankForGovernment.end(), f) != kBlankForGovernment.end()}});
        }
        json view{{"key", section}, {"title", both_languages("forms.sections." + section)}, {"fields", items},
                  {"is_services", section == "services"}};
        if (section == "services") {
            json offers = json::array();
            for (const auto& o : ra.services)
                offers.push_back({{"id", o.id}, {"zh", core::text_in(o.name, "zh-Hant")}, {"pt", core::text_in(o.name, "pt")},
                                  {"box", "☐"}});  // ☑ when fill_form ticks it
            view["services"] = offers;
        }
        out.push_back(view);
    }
    auto issue = ra.forms.find(name);
    return {{"sections", out},
            {"title", both_languages("documents." + name)},
            {"code", issue == ra.forms.end() ? "" : issue->second.code},
            {"version", issue == ra.forms.end() ? "" : issue->second.version},
            {"form", form_texts()},
            {"needs_seal", name != "unlock_request_form"},
            {"scripts", json::array({"/static/print.js"})}};
}

void fill_form(json& view, const FormValues& values) {
    for (auto& section : view["sections"]) {
        const std::string prefix = section.value("key", "") + ".";
        for (auto& field : section["fields"]) {
            const std::string key = field["key"];
            auto v = values.fields.find(prefix + key);
            if (v == values.fields.end()) v = values.fields.find(key);
            if (v == values.fields.end()) continue;
            if (field["tick"].get<bool>()) {
                if (v->second == kTicked) field["box"] = kTicked;
            } else {
                field["sample"] = v->second;
            }
        }
        if (section["is_services"].get<bool>()) {
            for (auto& offer : section["services"])
                if (std::find(values.services.begin(), values.services.end(), offer["id"].get<std::string>()) !=
                    values.services.end())
                    offer["box"] = kTicked;
            section["other_sample"] = values.other_service;
        }
    }
}

void fill_form_sample(json& view, const std::string& name, const std::string& lang) {
    fill_form(view, sample_values());
    std::map<std::string, int> numbered;
    json notes = json::array();
    if (auto c = callouts().find(name); c != callouts().end())
        for (const auto& [field, number] : c->second) {
            numbered[field] = number;
            notes.push_back({{"number", number},
                             {"text", translate(lang, "forms.callouts." + name + "." + std::to_string(number))}});
        }
    for (auto& section : view["sections"]) {
        for (auto& field : section["fields"])
            if (numbered.count(field["key"])) field["callout"] = numbered[field["key"]];
        if (section["is_services"].get<bool>() && numbered.count("service_other"))
            section["other_callout"] = numbered["service_other"];
    }
    view["guide"] = true;
    view["callouts"] = notes;
}

}  // namespace yq::web
