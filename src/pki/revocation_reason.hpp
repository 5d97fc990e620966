#pragma once
// RFC 5280 §5.3.1 CRLReason names (as in `yunqian ca revoke --reason NAME`) and codes.
#include <string>
#include <string_view>

namespace yq::pki {

int reason_code(std::string_view name);  // throws Error "ca.bad_reason" listing the valid names
std::string reason_name(int code);
std::string reason_names();  // "unspecified, keyCompromise, …" for help texts

}  // namespace yq::pki
