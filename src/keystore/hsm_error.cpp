#include "keystore/hsm_error.hpp"

#include <p11-kit/pkcs11.h>

#include <cstdio>

#include "core/error.hpp"

namespace yq::keystore::detail {

void throw_ckr(unsigned long rv, const std::string& what, Operation op) {
    char hex[32];
    std::snprintf(hex, sizeof hex, "0x%08lx", rv);
    std::string msg = what + " failed (PKCS#11 " + hex + ")";
    switch (rv) {
        case CKR_SESSION_HANDLE_INVALID:
        case CKR_SESSION_CLOSED:
        case CKR_USER_NOT_LOGGED_IN:
            throw SessionLost(msg);
        case CKR_PIN_INCORRECT:
        case CKR_PIN_INVALID:
        case CKR_PIN_LEN_RANGE:
            throw Error("hsm.pin_incorrect", 500, msg + ": the HSM user PIN is wrong; check hsm.pin_file");
        case CKR_PIN_LOCKED:
            throw Error("hsm.pin_locked", 503, msg + ": the HSM user PIN is locked; the security officer must reset it");
        case CKR_TOKEN_NOT_PRESENT:
        case CKR_DEVICE_REMOVED:
        case CKR_DEVICE_ERROR:
        case CKR_DEVICE_MEMORY:
        case CKR_SESSION_COUNT:
            throw Error("hsm.unavailable", 503, msg + ": the HSM is not available");
        case CKR_KEY_HANDLE_INVALID:
        case CKR_OBJECT_HANDLE_INVALID:
            throw Error("hsm.key_not_found", 500, msg + ": the key is not on the token");
        case CKR_MECHANISM_INVALID:
        case CKR_MECHANISM_PARAM_INVALID:
        case CKR_KEY_TYPE_INCONSISTENT:
        case CKR_KEY_FUNCTION_NOT_PERMITTED:
            throw Error("hsm.mechanism_unsupported", 500, msg + ": the key or HSM does not support this operation");
        default:
            break;
    }
    if (op == Operation::Unwrap &&
        (rv == CKR_GENERAL_ERROR || rv == CKR_WRAPPED_KEY_INVALID || rv == CKR_WRAPPED_KEY_LEN_RANGE ||
         rv == CKR_ENCRYPTED_DATA_INVALID || rv == CKR_ENCRYPTED_DATA_LEN_RANGE || rv == CKR_DATA_INVALID ||
         rv == CKR_TEMPLATE_INCONSISTENT))
        throw Error("hsm.wrapped_key_invalid", 400, msg + ": the wrapped key is damaged or was wrapped under another key");
    if (op == Operation::Decrypt &&
        (rv == CKR_GENERAL_ERROR || rv == CKR_ENCRYPTED_DATA_INVALID || rv == CKR_ENCRYPTED_DATA_LEN_RANGE ||
         rv == CKR_DATA_INVALID || rv == CKR_DATA_LEN_RANGE))
        throw Error("hsm.decrypt_failed", 400, msg + ": the sealed data is damaged or belongs to another context");
    if (op == Operation::Sign && (rv == CKR_DATA_LEN_RANGE || rv == CKR_DATA_INVALID))
        throw Error("hsm.bad_digest", 400, msg + ": the digest has the wrong length for this key");
    throw Error("hsm.error", 500, msg);
}

}  // namespace yq::keystore::detail
