// OpenSSL 3 deprecates RSA_METHOD and EC_KEY_METHOD; Debian 12 packages no PKCS#11 provider, so this one file uses
// them on purpose (the way libp11 does). OpenSSL 3 runs a key with a non-default method through its legacy code path
// ("foreign" keys, crypto/evp/p_lib.c), which X509_sign, OCSP, CMS and TS_RESP all accept.
#pragma GCC diagnostic ignored "-Wdeprecated-declarations"
#include "keystore/hsm_evp_key.hpp"

#include <openssl/bn.h>
#include <openssl/ec.h>
#include <openssl/ecdsa.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/rsa.h>
#include <openssl/x509.h>
#include <p11-kit/pkcs11.h>

#include <cstring>
#include <memory>
#include <optional>

#include "core/error.hpp"

namespace yq::keystore::detail {

namespace {

struct KeyContext {
    RawSigner sign;
};

void free_context(void*, void* ptr, CRYPTO_EX_DATA*, int, long, void*) { delete static_cast<KeyContext*>(ptr); }

int rsa_context_index() {
    static const int index = RSA_get_ex_new_index(0, nullptr, nullptr, nullptr, free_context);
    return index;
}
int ec_context_index() {
    static const int index = EC_KEY_get_ex_new_index(0, nullptr, nullptr, nullptr, free_context);
    return index;
}

// Exceptions must not cross OpenSSL's C frames: the failure goes onto OpenSSL's error queue and the OpenSSL call
// (X509_sign, …) returns its own failure to the caller.
template <class F>
auto without_exceptions(F&& sign) -> decltype(sign()) {
    try {
        return sign();
    } catch (const std::exception& e) {
        ERR_raise_data(ERR_LIB_USER, ERR_R_OPERATION_FAIL, "HSM signature failed: %s", e.what());
    } catch (...) {
        ERR_raise_data(ERR_LIB_USER, ERR_R_OPERATION_FAIL, "HSM signature failed");
    }
    return {};
}

// RSA private "encryption" = the signature primitive. OpenSSL hands over a DigestInfo for PKCS#1 v1.5 (RFC 8017
// §9.2, padded by the token: CKM_RSA_PKCS) or an already PSS-encoded block (RFC 8017 §9.1, raw: CKM_RSA_X_509).
int rsa_private_encrypt(int flen, const unsigned char* from, unsigned char* to, RSA* rsa, int padding) {
    auto* context = static_cast<KeyContext*>(RSA_get_ex_data(rsa, rsa_context_index()));
    CK_MECHANISM_TYPE mechanism = padding == RSA_PKCS1_PADDING ? CKM_RSA_PKCS
                                  : padding == RSA_NO_PADDING  ? CKM_RSA_X_509
                                                               : CK_UNAVAILABLE_INFORMATION;
    if (context == nullptr || mechanism == CK_UNAVAILABLE_INFORMATION || flen < 0) return -1;
    auto signature = without_exceptions([&] {
        return std::optional<core::Bytes>(context->sign(mechanism, core::Bytes(from, from + flen)));
    });
    if (!signature || signature->size() > static_cast<std::size_t>(RSA_size(rsa))) return -1;
    std::memcpy(to, signature->data(), signature->size());
    return static_cast<int>(signature->size());
}

// ECDSA: PKCS#11 v2.40 §2.3.1 (CKM_ECDSA) returns r ‖ s, each half of the output.
ECDSA_SIG* ec_sign_sig(const unsigned char* digest, int digest_len, const BIGNUM*, const BIGNUM*, EC_KEY* ec) {
    auto* context = static_cast<KeyContext*>(EC_KEY_get_ex_data(ec, ec_context_index()));
    if (context == nullptr || digest_len < 0) return nullptr;
    auto raw = without_exceptions([&] {
        return std::optional<core::Bytes>(context->sign(CKM_ECDSA, core::Bytes(digest, digest + digest_len)));
    });
    if (!raw || raw->empty() || raw->size() % 2 != 0) return nullptr;
    const int half = static_cast<int>(raw->size() / 2);
    BIGNUM* r = BN_bin2bn(raw->data(), half, nullptr);
    BIGNUM* s = BN_bin2bn(raw->data() + half, half, nullptr);
    ECDSA_SIG* sig = ECDSA_SIG_new();
    if (r == nullptr || s == nullptr || sig == nullptr || ECDSA_SIG_set0(sig, r, s) != 1) {
        BN_free(r);
        BN_free(s);
        ECDSA_SIG_free(sig);
        return nullptr;
    }
    return sig;
}

// The methods live as long as the process: every key made here points at them.
const RSA_METHOD* hsm_rsa_method() {
    static RSA_METHOD* method = [] {
        RSA_METHOD* m = RSA_meth_dup(RSA_PKCS1_OpenSSL());
        if (m == nullptr) return m;
        RSA_meth_set1_name(m, "yunqian HSM RSA");
        RSA_meth_set_priv_enc(m, rsa_private_encrypt);
        RSA_meth_set_flags(m, RSA_meth_get_flags(m) | RSA_FLAG_EXT_PKEY);  // no private exponent here
        return m;
    }();
    return method;
}

const EC_KEY_METHOD* hsm_ec_method() {
    static EC_KEY_METHOD* method = [] {
        EC_KEY_METHOD* m = EC_KEY_METHOD_new(EC_KEY_OpenSSL());
        if (m == nullptr) return m;
        int (*sign)(int, const unsigned char*, int, unsigned char*, unsigned int*, const BIGNUM*, const BIGNUM*,
                    EC_KEY*) = nullptr;
        int (*sign_setup)(EC_KEY*, BN_CTX*, BIGNUM**, BIGNUM**) = nullptr;
        EC_KEY_METHOD_get_sign(EC_KEY_OpenSSL(), &sign, &sign_setup, nullptr);
        EC_KEY_METHOD_set_sign(m, sign, sign_setup, ec_sign_sig);  // OpenSSL's ECDSA_sign → our sign_sig
        return m;
    }();
    return method;
}

[[noreturn]] void fail(const std::string& why) {
    throw Error("hsm.key_not_found", 500, "the HSM key cannot be used through OpenSSL: " + why);
}

}  // namespace

EvpPkeyPtr hsm_evp_key(const core::Bytes& public_key_der, RawSigner signer) {
    const unsigned char* p = public_key_der.data();
    EvpPkeyPtr public_key(d2i_PUBKEY(nullptr, &p, static_cast<long>(public_key_der.size())));
    if (!public_key) fail("its public key does not parse");
    EvpPkeyPtr out(EVP_PKEY_new());
    if (!out) fail("out of memory");
    auto context = std::make_unique<KeyContext>(KeyContext{std::move(signer)});
    switch (EVP_PKEY_get_base_id(public_key.get())) {
        case EVP_PKEY_RSA: {
            RSA* rsa = EVP_PKEY_get1_RSA(public_key.get());
            if (rsa == nullptr || RSA_set_method(rsa, hsm_rsa_method()) != 1 ||
                RSA_set_ex_data(rsa, rsa_context_index(), context.get()) != 1) {
                RSA_free(rsa);
                fail("OpenSSL refused the RSA method");
            }
            context.release();  // owned by the RSA object's ex_data now (free_context)
            if (EVP_PKEY_assign_RSA(out.get(), rsa) != 1) {
                RSA_free(rsa);
                fail("OpenSSL refused the RSA key");
            }
            return out;
        }
        case EVP_PKEY_EC: {
            EC_KEY* ec = EVP_PKEY_get1_EC_KEY(public_key.get());
            if (ec == nullptr || EC_KEY_set_method(ec, hsm_ec_method()) != 1 ||
                EC_KEY_set_ex_data(ec, ec_context_index(), context.get()) != 1) {
                EC_KEY_free(ec);
                fail("OpenSSL refused the EC method");
            }
            context.release();
            if (EVP_PKEY_assign_EC_KEY(out.get(), ec) != 1) {
                EC_KEY_free(ec);
                fail("OpenSSL refused the EC key");
            }
            return out;
        }
        default:
            fail("it is neither RSA nor EC");
    }
}

}  // namespace yq::keystore::detail
