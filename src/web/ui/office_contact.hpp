#pragma once
// The office's contacts and facts as every page's footer, the home page's office section and printed letters show
// them (#16), in the visitor's language: who runs the service, the address, telephone, fax and the three e-mail
// addresses (enquiries and complaints, sales, helpdesk), and the public holidays ahead.
#include <cstdint>
#include <nlohmann/json.hpp>
#include <string>

#include "core/config.hpp"

namespace yq::web {

// {operator, address, phone, fax, email, sales_email, helpdesk_email, has_contact}; empty fields are left out of the
// page by its template.
nlohmann::json office_contact_view(const core::OfficeConfig& office, const std::string& lang);

// The next `count` holidays on or after `today` ("YYYY-MM-DD", office time): [{date, name}] in date order.
nlohmann::json upcoming_holidays(const core::OfficeConfig& office, const std::string& lang, const std::string& today,
                                 std::size_t count);

}  // namespace yq::web
