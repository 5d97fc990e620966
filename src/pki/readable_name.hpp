#pragma once
// Distinguished names as people read them (#16 "names shown as people read them, not DN strings"): the string form
// OpenSSL writes for a name (RFC 4514 / RFC 2253 flags, UTF-8 kept) split back into its attributes, and the person's
// or organisation's name with its title, unit and organisation beside it.
#include <string>
#include <utility>
#include <vector>

namespace yq::pki {

// The attributes in written order (RFC 4514 §3: RDNs separated by ',', multi-valued ones by '+'; '\' escapes a
// special character or starts two hex digits of a byte).
std::vector<std::pair<std::string, std::string>> name_attributes(const std::string& rfc4514);

struct ReadableName {
    std::string name;    // CN, else O
    std::string detail;  // title · OU · O (what is not already the name); no e-mail, no serial number
};
ReadableName readable_name(const std::string& rfc4514);

}  // namespace yq::pki
