#pragma once
// CSC signAlgo / hashAlgorithmOID handling (CSC API v2 §11.9 signHash; OIDs from RFC 8017, RFC 5758, RFC 5754).
#include <optional>
#include <string>
#include <vector>

#include "core/bytes.hpp"
#include "keystore/keystore.hpp"

namespace yq::signing {

inline constexpr const char* kOidRsaEncryption = "1.2.840.113549.1.1.1";
inline constexpr const char* kOidRsaPss = "1.2.840.113549.1.1.10";
inline constexpr const char* kOidSha256WithRsa = "1.2.840.113549.1.1.11";
inline constexpr const char* kOidSha384WithRsa = "1.2.840.113549.1.1.12";
inline constexpr const char* kOidSha512WithRsa = "1.2.840.113549.1.1.13";
inline constexpr const char* kOidEcdsaSha256 = "1.2.840.10045.4.3.2";
inline constexpr const char* kOidEcdsaSha384 = "1.2.840.10045.4.3.3";
inline constexpr const char* kOidEcdsaSha512 = "1.2.840.10045.4.3.4";
inline constexpr const char* kOidSha256 = "2.16.840.1.101.3.4.2.1";
inline constexpr const char* kOidSha384 = "2.16.840.1.101.3.4.2.2";
inline constexpr const char* kOidSha512 = "2.16.840.1.101.3.4.2.3";
inline constexpr const char* kOidP256 = "1.2.840.10045.3.1.7";
inline constexpr const char* kOidP384 = "1.3.132.0.34";

std::optional<keystore::HashAlg> hash_from_oid(const std::string& oid);
std::string hash_oid(keystore::HashAlg h);
// The signAlgo values a key of this type accepts (credentials/info key/algo).
std::vector<std::string> sign_algorithms_for(keystore::KeyType t);
std::string curve_oid(keystore::KeyType t);  // "" for RSA
int key_bits(keystore::KeyType t);

// Resolves signAlgo (+ hashAlgorithmOID, + signAlgoParams for PSS) into a scheme for this key. Throws the CSC errors
// ("csc.invalid_request" with the spec's descriptions) for an unknown or mismatched algorithm.
keystore::SignScheme resolve_scheme(keystore::KeyType key, const std::string& sign_algo, const std::string& hash_oid,
                                    const core::Bytes& sign_algo_params, const std::string& hash_field_name);

}  // namespace yq::signing
