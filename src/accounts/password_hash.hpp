#pragma once
// Login-password hashing with Argon2id (libargon2), PHC string format. Verification is constant-time inside libargon2.
#include <string>

#include "core/config.hpp"
#include "core/secure_buffer.hpp"

namespace yq::accounts {

std::string hash_password(const core::SecureString& password, const core::KdfConfig& cost);
bool verify_password(const core::SecureString& password, const std::string& encoded_hash);
// A PHC hash of a random password at `cost`, made once per process and cost. Sign-ins verify against it when the
// username is unknown or locked, so those answers take as long as a wrong password (#14: no timing oracle).
const std::string& dummy_password_hash(const core::KdfConfig& cost);
// A random password people can type (for one-time admin passwords): 20 characters from a 56-letter alphabet without
// look-alikes (~116 bits).
core::SecureString generate_password();

}  // namespace yq::accounts
