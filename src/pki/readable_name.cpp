#include "pki/readable_name.hpp"

#include <cctype>

namespace yq::pki {

namespace {

int hex_value(char c) {
    if (c >= '0' && c <= '9') return c - '0';
    c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    return c >= 'a' && c <= 'f' ? c - 'a' + 10 : -1;
}

std::string trimmed(const std::string& s) {
    std::size_t a = s.find_first_not_of(' '), b = s.find_last_not_of(' ');
    return a == std::string::npos ? "" : s.substr(a, b - a + 1);
}

}  // namespace

std::vector<std::pair<std::string, std::string>> name_attributes(const std::string& rfc4514) {
    std::vector<std::pair<std::string, std::string>> out;
    std::string type, value;
    bool in_value = false;
    auto finish = [&] {
        if (in_value) out.emplace_back(trimmed(type), value);
        type.clear();
        value.clear();
        in_value = false;
    };
    for (std::size_t i = 0; i < rfc4514.size(); ++i) {
        char c = rfc4514[i];
        if (c == '\\' && i + 1 < rfc4514.size()) {  // §2.4: an escaped special character, or a byte as two hex digits
            int hi = hex_value(rfc4514[i + 1]), lo = i + 2 < rfc4514.size() ? hex_value(rfc4514[i + 2]) : -1;
            char decoded = hi >= 0 && lo >= 0 ? static_cast<char>(hi * 16 + lo) : rfc4514[i + 1];
            (in_value ? value : type) += decoded;
            i += hi >= 0 && lo >= 0 ? 2 : 1;
        } else if (c == ',' || c == '+') {
            finish();
        } else if (c == '=' && !in_value) {
            in_value = true;
        } else {
            (in_value ? value : type) += c;
        }
    }
    finish();
    return out;
}

ReadableName readable_name(const std::string& rfc4514) {
    std::string cn, title, unit, organisation;
    for (const auto& [type, value] : name_attributes(rfc4514)) {
        if (type == "CN") cn = value;
        else if (type == "title") title = value;
        else if (type == "OU") unit = value;
        else if (type == "O") organisation = value;
    }
    ReadableName out;
    out.name = cn.empty() ? organisation : cn;
    for (const std::string* part : {&title, &unit, &organisation}) {
        if (part->empty() || *part == out.name) continue;
        out.detail += (out.detail.empty() ? "" : " · ") + *part;
    }
    if (out.name.empty()) out.name = rfc4514;  // nothing we know how to read: show it as it is
    return out;
}

}  // namespace yq::pki
