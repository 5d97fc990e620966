#pragma once
// keystore-internal: an HSM private key as an OpenSSL EVP_PKEY, so that OpenSSL's own X509_sign, X509_CRL_sign,
// OCSP_basic_sign, CMS and TS_RESP sign with it unchanged. The EVP_PKEY holds the token's public key and an
// RSA_METHOD / EC_KEY_METHOD whose private operation is one PKCS#11 C_Sign made by `RawSigner` — through the
// Keystore's own session pool, so these keys share its session recovery (a session the HSM closed is reopened and the
// signature retried) instead of depending on sessions a third-party engine keeps out of our sight.
#include <functional>

#include "core/bytes.hpp"
#include "keystore/keystore.hpp"

namespace yq::keystore::detail {

// Signs `input` with the token private key under the PKCS#11 mechanism `mechanism` (CKM_ECDSA, CKM_RSA_PKCS,
// CKM_RSA_X_509) and returns the token's raw output. May throw yq::Error.
using RawSigner = std::function<core::Bytes(unsigned long mechanism, const core::Bytes& input)>;

// `public_key_der`: the key's SubjectPublicKeyInfo as read from the token. Throws "hsm.key_not_found" when it is
// neither an RSA nor an EC key.
EvpPkeyPtr hsm_evp_key(const core::Bytes& public_key_der, RawSigner signer);

}  // namespace yq::keystore::detail
