#include "web/ui/office_contact.hpp"

#include <algorithm>
#include <vector>

namespace yq::web {

using nlohmann::json;

json office_contact_view(const core::OfficeConfig& office, const std::string& lang) {
    json v{{"operator", core::text_in(office.operator_name, lang)},
           {"address", core::text_in(office.address, lang)},
           {"phone", office.phone},
           {"fax", office.fax},
           {"email", office.email},
           {"sales_email", office.sales_email},
           {"helpdesk_email", office.helpdesk_email}};
    bool any = false;
    for (const char* key : {"address", "phone", "fax", "email", "sales_email", "helpdesk_email"})
        any = any || !v[key].get<std::string>().empty();
    v["has_contact"] = any;
    return v;
}

json upcoming_holidays(const core::OfficeConfig& office, const std::string& lang, const std::string& today,
                       std::size_t count) {
    std::vector<std::string> dates;
    for (const auto& d : office.holidays)
        if (d >= today) dates.push_back(d);  // ISO dates order as text
    std::sort(dates.begin(), dates.end());
    dates.erase(std::unique(dates.begin(), dates.end()), dates.end());
    json out = json::array();
    for (std::size_t i = 0; i < dates.size() && i < count; ++i) {
        auto name = office.holiday_names.find(dates[i]);
        out.push_back({{"date", dates[i]},
                       {"name", name == office.holiday_names.end() ? "" : core::text_in(name->second, lang)}});
    }
    return out;
}

}  // namespace yq::web
