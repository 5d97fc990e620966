#include "accounts/totp_enrolment.hpp"

#include "accounts/totp.hpp"
#include "core/error.hpp"

namespace yq::accounts {

TotpEnrolment new_totp_enrolment(keystore::Keystore& keys, const std::string& seal_label, const core::Bytes& aad,
                                 const std::string& issuer, const std::string& username) {
    core::Bytes secret = core::random_bytes(kTotpSecretBytes);
    TotpEnrolment e;
    e.sealed_candidate_hex = core::hex_encode(keys.gcm_encrypt(seal_label, secret, aad));
    core::SecureBytes copy(secret.begin(), secret.end());
    core::secure_wipe(secret.data(), secret.size());
    e.otpauth_uri = otpauth_uri(copy, issuer, username);
    std::size_t at = e.otpauth_uri.find("secret=");
    e.secret_base32 = at == std::string::npos ? "" : e.otpauth_uri.substr(at + 7, e.otpauth_uri.find('&', at) - at - 7);
    return e;
}

core::SecureBytes open_totp_candidate(keystore::Keystore& keys, const std::string& seal_label,
                                      const std::string& sealed_candidate_hex, const core::Bytes& aad,
                                      const std::string& bad_code) {
    try {
        return keys.gcm_decrypt(seal_label, core::hex_decode(sealed_candidate_hex), aad);
    } catch (const Error&) {
        throw_bad_input(bad_code, "the enrolment form is not valid any more; start again");
    }
}

}  // namespace yq::accounts
