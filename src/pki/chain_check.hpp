#pragma once
// RFC 5280 §6 path validation of one of the CA's own service certificates (audit signer, transparency log) through
// the issuing CA to a root given as the only anchor (no partial chains), at a time.
#include <cstdint>
#include <string>

#include "core/bytes.hpp"

namespace yq::pki {

// "" when `leaf_der` ← `issuing_der` ← `root_der` is a valid path at `now`, else what failed (OpenSSL's words).
std::string service_chain_problem(const core::Bytes& leaf_der, const core::Bytes& issuing_der,
                                  const core::Bytes& root_der, std::int64_t now);

// The same for certificates that came from outside (a proof file, a signed report's x5c, a root the user gives): one
// that cannot be read is what failed, not an error.
std::string presented_chain_problem(const core::Bytes& leaf_der, const core::Bytes& issuing_der,
                                    const core::Bytes& root_der, std::int64_t now);

// SubjectPublicKeyInfo DER of a certificate; throws "pki.bad_certificate" for one without a readable key.
core::Bytes public_key_of(const core::Bytes& certificate_der);

}  // namespace yq::pki
