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

ProvenTotp prove_totp_candidate(keystore::Keystore& keys, const std::string& seal_label,
                                const std::string& sealed_candidate_hex, const core::Bytes& candidate_aad,
                                const core::Bytes& stored_aad, const std::string& otp, std::int64_t now,
                                const std::string& component) {
    core::SecureBytes secret;
    try {
        secret = keys.gcm_decrypt(seal_label, core::hex_decode(sealed_candidate_hex), candidate_aad);
    } catch (const Error&) {
        throw_bad_input(component + ".bad_enrolment", "the enrolment form is not valid any more; start again");
    }
    auto step = totp_step_for(secret, otp, now);
    if (!step) throw_bad_input(component + ".wrong_otp", "the code does not match; enter the code the app shows now");
    core::Bytes plain(secret.begin(), secret.end());
    ProvenTotp out{keys.gcm_encrypt(seal_label, plain, stored_aad), *step};
    core::secure_wipe(plain.data(), plain.size());
    return out;
}

}  // namespace yq::accounts
