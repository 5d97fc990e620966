#pragma once
// Enrolling an authenticator app (signers in the portal, staff at their first sign-in): the new secret is sealed under
// an HSM key for the enrolment form and stored only once a code from the app proves it, so only the person who scans
// it ever sees it. The seal's associated data binds it to whose enrolment it is.
// Error style: prove_totp_candidate throws 400 "<component>.bad_enrolment" when the sealed candidate does not open
// (altered, another person's, or sealed under another key) and 400 "<component>.wrong_otp" when the code does not
// match it.
#include <cstdint>
#include <string>

#include "core/bytes.hpp"
#include "core/secure_buffer.hpp"
#include "keystore/keystore.hpp"

namespace yq::accounts {

// An enrolment in progress: what the page shows (QR of the URI, the secret for typing), and the new secret sealed for
// the confirmation form (AES-GCM under the HSM key, bound to whose enrolment it is: opaque to the browser).
struct TotpEnrolment {
    std::string otpauth_uri;
    std::string secret_base32;
    std::string sealed_candidate_hex;
};

TotpEnrolment new_totp_enrolment(keystore::Keystore& keys, const std::string& seal_label, const core::Bytes& aad,
                                 const std::string& issuer, const std::string& username);
// The secret a code from the app proved, sealed again under `stored_aad` for storage, and the code's step (to be
// used up when it is stored). `component` names the error codes ("accounts", "staff").
struct ProvenTotp {
    core::Bytes sealed_secret;
    std::int64_t step = 0;
};
ProvenTotp prove_totp_candidate(keystore::Keystore& keys, const std::string& seal_label,
                                const std::string& sealed_candidate_hex, const core::Bytes& candidate_aad,
                                const core::Bytes& stored_aad, const std::string& otp, std::int64_t now,
                                const std::string& component);

}  // namespace yq::accounts
