#include "signing/algorithms.hpp"

#include <openssl/rsa.h>
#include <openssl/x509.h>

#include <algorithm>

#include "signing/csc_error.hpp"

namespace yq::signing {

using keystore::HashAlg;
using keystore::KeyType;
using keystore::SignScheme;

std::optional<HashAlg> hash_from_oid(const std::string& oid) {
    if (oid == kOidSha256) return HashAlg::Sha256;
    if (oid == kOidSha384) return HashAlg::Sha384;
    if (oid == kOidSha512) return HashAlg::Sha512;
    return std::nullopt;
}

std::string hash_oid(HashAlg h) {
    switch (h) {
        case HashAlg::Sha256: return kOidSha256;
        case HashAlg::Sha384: return kOidSha384;
        case HashAlg::Sha512: return kOidSha512;
    }
    return kOidSha256;
}

std::vector<std::string> sign_algorithms_for(KeyType t) {
    if (keystore::is_rsa(t)) return {kOidSha256WithRsa, kOidSha384WithRsa, kOidSha512WithRsa, kOidRsaEncryption, kOidRsaPss};
    return {kOidEcdsaSha256, kOidEcdsaSha384, kOidEcdsaSha512};
}

std::string curve_oid(KeyType t) {
    if (t == KeyType::EcP256) return kOidP256;
    if (t == KeyType::EcP384) return kOidP384;
    return "";
}

int key_bits(KeyType t) {
    switch (t) {
        case KeyType::Rsa2048: return 2048;
        case KeyType::Rsa3072: return 3072;
        case KeyType::Rsa4096: return 4096;
        case KeyType::EcP256: return 256;
        case KeyType::EcP384: return 384;
    }
    return 0;
}

namespace {

// RFC 8017 Appendix A.2.3 RSASSA-PSS-params, parsed with OpenSSL; only MGF1 with the same hash and trailer 1.
SignScheme pss_scheme(const core::Bytes& params) {
    if (params.empty()) csc_error(400, "invalid_request", "Missing (or invalid type) string parameter signAlgoParams");
    const unsigned char* p = params.data();
    RSA_PSS_PARAMS* pss = d2i_RSA_PSS_PARAMS(nullptr, &p, static_cast<long>(params.size()));
    if (pss == nullptr) csc_error(400, "invalid_request", "Invalid parameter signAlgoParams");
    SignScheme s{SignScheme::Kind::RsaPss, HashAlg::Sha256, 20};
    bool ok = true;
    int hash_nid = pss->hashAlgorithm ? OBJ_obj2nid(pss->hashAlgorithm->algorithm) : NID_sha1;
    int mgf_hash_nid = NID_sha1;
    if (pss->maskGenAlgorithm) {
        ok = OBJ_obj2nid(pss->maskGenAlgorithm->algorithm) == NID_mgf1;
        X509_ALGOR* mgf_hash = pss->maskHash;
        if (mgf_hash == nullptr && pss->maskGenAlgorithm->parameter &&
            pss->maskGenAlgorithm->parameter->type == V_ASN1_SEQUENCE) {
            const ASN1_STRING* seq = pss->maskGenAlgorithm->parameter->value.sequence;
            const unsigned char* q = ASN1_STRING_get0_data(seq);
            X509_ALGOR* a = d2i_X509_ALGOR(nullptr, &q, ASN1_STRING_length(seq));
            if (a) {
                mgf_hash_nid = OBJ_obj2nid(a->algorithm);
                X509_ALGOR_free(a);
            }
        } else if (mgf_hash) {
            mgf_hash_nid = OBJ_obj2nid(mgf_hash->algorithm);
        }
    }
    if (hash_nid == NID_sha256) s.hash = HashAlg::Sha256;
    else if (hash_nid == NID_sha384) s.hash = HashAlg::Sha384;
    else if (hash_nid == NID_sha512) s.hash = HashAlg::Sha512;
    else ok = false;
    if (mgf_hash_nid != hash_nid) ok = false;
    long salt = pss->saltLength ? ASN1_INTEGER_get(pss->saltLength) : 20;
    long trailer = pss->trailerField ? ASN1_INTEGER_get(pss->trailerField) : 1;
    if (salt < 0 || salt > 512 || trailer != 1) ok = false;
    s.pss_salt_length = static_cast<std::size_t>(salt);
    RSA_PSS_PARAMS_free(pss);
    if (!ok) csc_error(400, "invalid_request", "Invalid parameter signAlgoParams");
    return s;
}

}  // namespace

SignScheme resolve_scheme(KeyType key, const std::string& sign_algo, const std::string& hash_oid_in,
                          const core::Bytes& sign_algo_params, const std::string& hash_field_name) {
    auto allowed = sign_algorithms_for(key);
    if (std::find(allowed.begin(), allowed.end(), sign_algo) == allowed.end())
        csc_error(400, "invalid_request", "Invalid parameter signAlgo");
    // (plain bool + value: GCC 12 -O2 reports a false maybe-uninitialized on std::optional<enum> here)
    bool has_named = !hash_oid_in.empty();
    HashAlg named = HashAlg::Sha256;
    if (has_named) {
        auto h = hash_from_oid(hash_oid_in);
        if (!h) csc_error(400, "invalid_request", "Invalid parameter " + hash_field_name);
        named = *h;
    }
    SignScheme s;
    bool has_fixed = true;
    HashAlg fixed = HashAlg::Sha256;
    if (sign_algo == kOidSha384WithRsa || sign_algo == kOidEcdsaSha384) fixed = HashAlg::Sha384;
    else if (sign_algo == kOidSha512WithRsa || sign_algo == kOidEcdsaSha512) fixed = HashAlg::Sha512;
    else if (sign_algo != kOidSha256WithRsa && sign_algo != kOidEcdsaSha256) has_fixed = false;
    if (sign_algo == kOidRsaPss) {
        s = pss_scheme(sign_algo_params);
        has_fixed = true;
        fixed = s.hash;
    } else if (keystore::is_rsa(key)) {
        s.kind = SignScheme::Kind::RsaPkcs1v15;
    } else {
        s.kind = SignScheme::Kind::Ecdsa;
    }
    if (has_fixed) {
        // the algorithm fixes the hash: a hash OID may be sent, but it must agree (CSC v1 §11.9 note)
        if (has_named && named != fixed) csc_error(400, "invalid_request", "Invalid parameter " + hash_field_name);
        s.hash = fixed;
    } else {
        if (!has_named) csc_error(400, "invalid_request", "Missing (or invalid type) string parameter " + hash_field_name);
        s.hash = named;
    }
    return s;
}

}  // namespace yq::signing
