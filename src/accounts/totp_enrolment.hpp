#pragma once
// Enrolling an authenticator app (signers in the portal, staff at their first sign-in): the new secret is sealed under
// an HSM key for the enrolment form and stored only once a code from the app proves it, so only the person who scans
// it ever sees it. The seal's associated data binds it to whose enrolment it is.
// Error style: open_totp_candidate throws 400 `bad_code` when the sealed candidate does not open (altered, another
// person's, or sealed under another key).
#include <string>

#include "core/bytes.hpp"
#include "core/secure_buffer.hpp"
#include "keystore/keystore.hpp"

namespace yq::accounts {

struct TotpEnrolment {
    std::string otpauth_uri;
    std::string secret_base32;
    std::string sealed_candidate_hex;
};

TotpEnrolment new_totp_enrolment(keystore::Keystore& keys, const std::string& seal_label, const core::Bytes& aad,
                                 const std::string& issuer, const std::string& username);
core::SecureBytes open_totp_candidate(keystore::Keystore& keys, const std::string& seal_label,
                                      const std::string& sealed_candidate_hex, const core::Bytes& aad,
                                      const std::string& bad_code);

}  // namespace yq::accounts
