#pragma once
// CKR_* → yq::Error. The caller names the operation so that data errors get an actionable code: SoftHSM answers a
// corrupted wrapped blob with CKR_GENERAL_ERROR (design pitfall), which must surface as "hsm.wrapped_key_invalid".
#include <string>

#include "core/error.hpp"

namespace yq::keystore::detail {

// The HSM no longer knows the session (CKR_SESSION_HANDLE_INVALID, CKR_SESSION_CLOSED) or its login
// (CKR_USER_NOT_LOGGED_IN): the session pool reopens and the operation is retried once (Keystore::Impl::with_session).
class SessionLost : public Error {
public:
    explicit SessionLost(const std::string& message)
        : Error("hsm.session_lost", 503, message + ": the HSM closed its sessions and they could not be reopened") {}
};

enum class Operation { General, Unwrap, Decrypt, Login, Sign };

[[noreturn]] void throw_ckr(unsigned long rv, const std::string& what, Operation op = Operation::General);
inline void check_ckr(unsigned long rv, const std::string& what, Operation op = Operation::General) {
    if (rv != 0) throw_ckr(rv, what, op);
}

}  // namespace yq::keystore::detail
