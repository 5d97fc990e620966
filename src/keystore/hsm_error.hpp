#pragma once
// CKR_* → yq::Error. The caller names the operation so that data errors get an actionable code: SoftHSM answers a
// corrupted wrapped blob with CKR_GENERAL_ERROR (design pitfall), which must surface as "hsm.wrapped_key_invalid".
#include <string>

namespace yq::keystore::detail {

enum class Operation { General, Unwrap, Decrypt, Login, Sign };

[[noreturn]] void throw_ckr(unsigned long rv, const std::string& what, Operation op = Operation::General);
inline void check_ckr(unsigned long rv, const std::string& what, Operation op = Operation::General) {
    if (rv != 0) throw_ckr(rv, what, op);
}

}  // namespace yq::keystore::detail
