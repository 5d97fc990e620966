#pragma once
// The forms the office issues, as print-ready pages (#16): bilingual zh-Hant/Português on one page as Macau's official
// forms are, with the form's code and version (ra.forms) and the configured services (ra.services). The same view is
// printed blank (/forms/NAME), filled with a made-up sample and numbered callouts (the filling guidance,
// /forms/NAME/guide), or filled from a case where the office prints it (/office/…/form).
#include <map>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "core/config.hpp"

namespace yq::web {

// Sections and their fields, by document type. Fields named scope_*, request_* and type_* are boxes to tick; the
// "services" section is the configured services and an 「其他」 box.
using FormSections = std::vector<std::pair<std::string, std::vector<std::string>>>;
const std::map<std::string, FormSections>& printable_forms();

// The form's view for templates/printable_form.html: sections with both languages' labels, code and version, the
// fixed texts and the print script. Throws 404 "ui.not_found" for a form the office does not issue.
nlohmann::json printable_form_view(const core::RaConfig& ra, const std::string& name);

// What a form is filled with: "section.field" or "field" → the text written on it ("☑" ticks a box), and the services
// ticked (by ra.services id).
struct FormValues {
    std::map<std::string, std::string> fields;
    std::vector<std::string> services;
    std::string other_service;  // written in the 「其他」 box
};
void fill_form(nlohmann::json& view, const FormValues& values);

// The filling guidance: the made-up sample and the numbered callouts explained in `lang`.
void fill_form_sample(nlohmann::json& view, const std::string& name, const std::string& lang);

}  // namespace yq::web
