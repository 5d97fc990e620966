#include "keystore/keystore.hpp"

#include <openssl/bn.h>
#include <openssl/core_names.h>
#include <openssl/ec.h>
#include <openssl/evp.h>
#include <openssl/param_build.h>
#include <openssl/x509.h>

#include <algorithm>
#include <atomic>
#include <cstring>
#include <map>
#include <mutex>
#include <optional>

#include "core/error.hpp"
#include "keystore/hsm_evp_key.hpp"
#include "keystore/hsm_error.hpp"
#include "keystore/session.hpp"

namespace yq::keystore {

using namespace detail;
using core::Bytes;

void EvpPkeyDeleter::operator()(EVP_PKEY* k) const noexcept { EVP_PKEY_free(k); }

KeyType parse_key_type(const std::string& name) {
    static const std::map<std::string, KeyType> kNames = {{"rsa-2048", KeyType::Rsa2048}, {"rsa-3072", KeyType::Rsa3072},
                                                          {"rsa-4096", KeyType::Rsa4096}, {"ec-p256", KeyType::EcP256},
                                                          {"ec-p384", KeyType::EcP384}};
    auto it = kNames.find(name);
    if (it == kNames.end())
        throw_bad_input("hsm.bad_key_type", "unknown key type '" + name + "' (use rsa-2048|rsa-3072|rsa-4096|ec-p256|ec-p384)");
    return it->second;
}

std::string key_type_name(KeyType t) {
    switch (t) {
        case KeyType::Rsa2048: return "rsa-2048";
        case KeyType::Rsa3072: return "rsa-3072";
        case KeyType::Rsa4096: return "rsa-4096";
        case KeyType::EcP256: return "ec-p256";
        case KeyType::EcP384: return "ec-p384";
    }
    return "?";
}

bool is_rsa(KeyType t) { return t == KeyType::Rsa2048 || t == KeyType::Rsa3072 || t == KeyType::Rsa4096; }

std::size_t digest_size(HashAlg h) {
    switch (h) {
        case HashAlg::Sha256: return 32;
        case HashAlg::Sha384: return 48;
        case HashAlg::Sha512: return 64;
    }
    return 0;
}

namespace {

// DER OIDs of the named curves, as CKA_EC_PARAMS wants them (RFC 5480 §2.1.1.1).
const Bytes kP256Oid = {0x06, 0x08, 0x2a, 0x86, 0x48, 0xce, 0x3d, 0x03, 0x01, 0x07};
const Bytes kP384Oid = {0x06, 0x05, 0x2b, 0x81, 0x04, 0x00, 0x22};

// DigestInfo prefixes for EMSA-PKCS1-v1_5 (RFC 8017 §9.2, note 1).
Bytes digest_info_prefix(HashAlg h) {
    switch (h) {
        case HashAlg::Sha256:
            return {0x30, 0x31, 0x30, 0x0d, 0x06, 0x09, 0x60, 0x86, 0x48, 0x01, 0x65, 0x03, 0x04, 0x02, 0x01, 0x05, 0x00, 0x04, 0x20};
        case HashAlg::Sha384:
            return {0x30, 0x41, 0x30, 0x0d, 0x06, 0x09, 0x60, 0x86, 0x48, 0x01, 0x65, 0x03, 0x04, 0x02, 0x02, 0x05, 0x00, 0x04, 0x30};
        case HashAlg::Sha512:
            return {0x30, 0x51, 0x30, 0x0d, 0x06, 0x09, 0x60, 0x86, 0x48, 0x01, 0x65, 0x03, 0x04, 0x02, 0x03, 0x05, 0x00, 0x04, 0x40};
    }
    return {};
}

CK_MECHANISM_TYPE ck_hash(HashAlg h) {
    switch (h) {
        case HashAlg::Sha256: return CKM_SHA256;
        case HashAlg::Sha384: return CKM_SHA384;
        case HashAlg::Sha512: return CKM_SHA512;
    }
    return CKM_SHA256;
}

CK_RSA_PKCS_MGF_TYPE ck_mgf(HashAlg h) {
    switch (h) {
        case HashAlg::Sha256: return CKG_MGF1_SHA256;
        case HashAlg::Sha384: return CKG_MGF1_SHA384;
        case HashAlg::Sha512: return CKG_MGF1_SHA512;
    }
    return CKG_MGF1_SHA256;
}

CK_ULONG rsa_bits(KeyType t) {
    switch (t) {
        case KeyType::Rsa3072: return 3072;
        case KeyType::Rsa4096: return 4096;
        default: return 2048;
    }
}

struct Attr {
    std::vector<CK_ATTRIBUTE> list;
    std::vector<std::unique_ptr<Bytes>> storage;
    Attr& add(CK_ATTRIBUTE_TYPE type, Bytes value) {
        storage.push_back(std::make_unique<Bytes>(std::move(value)));
        list.push_back({type, storage.back()->data(), static_cast<CK_ULONG>(storage.back()->size())});
        return *this;
    }
    Attr& add_bool(CK_ATTRIBUTE_TYPE type, bool v) { return add(type, Bytes{static_cast<std::uint8_t>(v ? 1 : 0)}); }
    Attr& add_ulong(CK_ATTRIBUTE_TYPE type, CK_ULONG v) {
        Bytes b(sizeof v);
        std::memcpy(b.data(), &v, sizeof v);
        return add(type, std::move(b));
    }
    Attr& add_text(CK_ATTRIBUTE_TYPE type, const std::string& s) { return add(type, Bytes(s.begin(), s.end())); }
    CK_ATTRIBUTE* data() { return list.data(); }
    CK_ULONG size() const { return static_cast<CK_ULONG>(list.size()); }
};

Bytes get_attribute(CK_FUNCTION_LIST* f, CK_SESSION_HANDLE s, CK_OBJECT_HANDLE o, CK_ATTRIBUTE_TYPE type) {
    CK_ATTRIBUTE a{type, nullptr, 0};
    check_ckr(f->C_GetAttributeValue(s, o, &a, 1), "C_GetAttributeValue");
    Bytes out(a.ulValueLen);
    a.pValue = out.data();
    check_ckr(f->C_GetAttributeValue(s, o, &a, 1), "C_GetAttributeValue");
    out.resize(a.ulValueLen);
    return out;
}

struct PkeyCtxFree {
    void operator()(EVP_PKEY_CTX* c) const noexcept { EVP_PKEY_CTX_free(c); }
};
struct BldFree {
    void operator()(OSSL_PARAM_BLD* b) const noexcept { OSSL_PARAM_BLD_free(b); }
};
struct ParamFree {
    void operator()(OSSL_PARAM* p) const noexcept { OSSL_PARAM_free(p); }
};
struct BnFree {
    void operator()(BIGNUM* b) const noexcept { BN_free(b); }
};

// Builds SubjectPublicKeyInfo DER from the public key object's attributes.
Bytes spki_from_object(CK_FUNCTION_LIST* f, CK_SESSION_HANDLE s, CK_OBJECT_HANDLE pub) {
    Bytes key_type_raw = get_attribute(f, s, pub, CKA_KEY_TYPE);
    CK_KEY_TYPE kt = 0;
    std::memcpy(&kt, key_type_raw.data(), std::min(key_type_raw.size(), sizeof kt));
    std::unique_ptr<OSSL_PARAM_BLD, BldFree> bld(OSSL_PARAM_BLD_new());
    const char* algorithm = nullptr;
    std::unique_ptr<BIGNUM, BnFree> n, e;
    Bytes point;
    if (kt == CKK_RSA) {
        algorithm = "RSA";
        Bytes mod = get_attribute(f, s, pub, CKA_MODULUS), exp = get_attribute(f, s, pub, CKA_PUBLIC_EXPONENT);
        n.reset(BN_bin2bn(mod.data(), static_cast<int>(mod.size()), nullptr));
        e.reset(BN_bin2bn(exp.data(), static_cast<int>(exp.size()), nullptr));
        OSSL_PARAM_BLD_push_BN(bld.get(), OSSL_PKEY_PARAM_RSA_N, n.get());
        OSSL_PARAM_BLD_push_BN(bld.get(), OSSL_PKEY_PARAM_RSA_E, e.get());
    } else if (kt == CKK_EC) {
        algorithm = "EC";
        Bytes params = get_attribute(f, s, pub, CKA_EC_PARAMS);
        const char* group = params == kP256Oid ? "P-256" : params == kP384Oid ? "P-384" : nullptr;
        if (group == nullptr) throw Error("hsm.mechanism_unsupported", 500, "unsupported EC curve on the token");
        Bytes ec_point = get_attribute(f, s, pub, CKA_EC_POINT);  // DER OCTET STRING around the point (X9.62)
        const unsigned char* p = ec_point.data();
        ASN1_OCTET_STRING* os = d2i_ASN1_OCTET_STRING(nullptr, &p, static_cast<long>(ec_point.size()));
        if (os != nullptr) {
            point.assign(os->data, os->data + os->length);
            ASN1_OCTET_STRING_free(os);
        } else {
            point = ec_point;  // some modules return the raw point
        }
        OSSL_PARAM_BLD_push_utf8_string(bld.get(), OSSL_PKEY_PARAM_GROUP_NAME, group, 0);
        OSSL_PARAM_BLD_push_octet_string(bld.get(), OSSL_PKEY_PARAM_PUB_KEY, point.data(), point.size());
    } else {
        throw Error("hsm.mechanism_unsupported", 500, "unsupported key type on the token");
    }
    std::unique_ptr<OSSL_PARAM, ParamFree> params(OSSL_PARAM_BLD_to_param(bld.get()));
    std::unique_ptr<EVP_PKEY_CTX, PkeyCtxFree> ctx(EVP_PKEY_CTX_new_from_name(nullptr, algorithm, nullptr));
    EVP_PKEY* raw = nullptr;
    if (!ctx || EVP_PKEY_fromdata_init(ctx.get()) != 1 ||
        EVP_PKEY_fromdata(ctx.get(), &raw, EVP_PKEY_PUBLIC_KEY, params.get()) != 1)
        throw Error("hsm.error", 500, "cannot build the public key from the token's attributes");
    EvpPkeyPtr pkey(raw);
    int len = i2d_PUBKEY(pkey.get(), nullptr);
    Bytes der(static_cast<std::size_t>(len));
    unsigned char* out = der.data();
    i2d_PUBKEY(pkey.get(), &out);
    return der;
}

void add_key_pair_templates(KeyType type, const std::string& label, bool token, Attr& pub, Attr& priv,
                            CK_MECHANISM_TYPE& mech) {
    pub.add_ulong(CKA_CLASS, CKO_PUBLIC_KEY).add_bool(CKA_TOKEN, token).add_bool(CKA_VERIFY, true);
    priv.add_ulong(CKA_CLASS, CKO_PRIVATE_KEY).add_bool(CKA_TOKEN, token).add_bool(CKA_PRIVATE, true)
        .add_bool(CKA_SENSITIVE, true).add_bool(CKA_SIGN, true).add_bool(CKA_EXTRACTABLE, !token);
    if (!label.empty()) {
        pub.add_text(CKA_LABEL, label).add_text(CKA_ID, label);
        priv.add_text(CKA_LABEL, label).add_text(CKA_ID, label);
    }
    if (is_rsa(type)) {
        mech = CKM_RSA_PKCS_KEY_PAIR_GEN;
        pub.add_ulong(CKA_MODULUS_BITS, rsa_bits(type)).add(CKA_PUBLIC_EXPONENT, Bytes{0x01, 0x00, 0x01});
    } else {
        mech = CKM_EC_KEY_PAIR_GEN;
        pub.add(CKA_EC_PARAMS, type == KeyType::EcP256 ? kP256Oid : kP384Oid);
    }
}

}  // namespace

// PKCS#11 ECDSA output is r ‖ s; X.509, CMS and CSC want DER Ecdsa-Sig-Value (RFC 3279 §2.2.3).
Bytes ecdsa_raw_to_der(const Bytes& raw) {
    std::size_t half = raw.size() / 2;
    ECDSA_SIG* sig = ECDSA_SIG_new();
    BIGNUM* r = BN_bin2bn(raw.data(), static_cast<int>(half), nullptr);
    BIGNUM* s = BN_bin2bn(raw.data() + half, static_cast<int>(half), nullptr);
    ECDSA_SIG_set0(sig, r, s);
    int len = i2d_ECDSA_SIG(sig, nullptr);
    Bytes der(static_cast<std::size_t>(std::max(len, 0)));
    unsigned char* p = der.data();
    if (len > 0) i2d_ECDSA_SIG(sig, &p);
    ECDSA_SIG_free(sig);
    return der;
}

Bytes ecdsa_der_to_raw(const Bytes& der, std::size_t coordinate) {
    const unsigned char* p = der.data();
    ECDSA_SIG* sig = d2i_ECDSA_SIG(nullptr, &p, static_cast<long>(der.size()));
    if (!sig) throw Error("hsm.bad_signature", 500, "an ECDSA signature cannot be read");
    Bytes out(2 * coordinate);
    const BIGNUM *r = nullptr, *s = nullptr;
    ECDSA_SIG_get0(sig, &r, &s);
    bool ok = BN_bn2binpad(r, out.data(), static_cast<int>(coordinate)) > 0 &&
              BN_bn2binpad(s, out.data() + coordinate, static_cast<int>(coordinate)) > 0;
    ECDSA_SIG_free(sig);
    if (!ok) throw Error("hsm.bad_signature", 500, "an ECDSA signature does not fit the curve");
    return out;
}

void initialise_token(const std::string& module_path, const std::string& label, const core::SecureString& so_pin,
                      const core::SecureString& user_pin) {
    Module module(module_path);
    CK_SLOT_ID slot = module.find_free_slot();
    unsigned char padded[32];
    std::memset(padded, ' ', sizeof padded);
    std::memcpy(padded, label.data(), std::min(label.size(), sizeof padded));
    core::SecureString so = so_pin, user = user_pin;
    check_ckr(module.f()->C_InitToken(slot, reinterpret_cast<CK_UTF8CHAR*>(so.data()), so.size(), padded), "C_InitToken");
    CK_SLOT_ID new_slot = module.find_token_slot(label);  // SoftHSM renumbers the slot after initialisation
    Session session(module, new_slot, true);
    check_ckr(module.f()->C_Login(session.handle(), CKU_SO, reinterpret_cast<CK_UTF8CHAR*>(so.data()), so.size()),
              "C_Login(SO)", Operation::Login);
    check_ckr(module.f()->C_InitPIN(session.handle(), reinterpret_cast<CK_UTF8CHAR*>(user.data()), user.size()),
              "C_InitPIN");
    module.f()->C_Logout(session.handle());
}

struct Keystore::Impl {
    HsmSettings settings;
    Module module;
    CK_SLOT_ID slot;
    std::mutex handles_mutex;
    std::map<std::pair<CK_OBJECT_CLASS, std::string>, CK_OBJECT_HANDLE> handles;
    // Names the live set of sessions (SessionKey::sessions): unique per process and per reopened set, so a kept key
    // made through one set (or one Keystore) is never used through another.
    std::atomic<std::uint64_t> sessions_id{next_sessions_id()};
    SessionPool pool;  // after what on_sessions_reopened() touches, before the keys that sign through it
    std::mutex evp_keys_mutex;
    std::map<std::string, EvpPkeyPtr> evp_keys;

    static std::uint64_t next_sessions_id() {
        static std::atomic<std::uint64_t> counter{0};
        return ++counter;
    }

    explicit Impl(const HsmSettings& s)
        : settings(s), module(s.module_path), slot(module.find_token_slot(s.token_label)),
          pool(module, slot, s.user_pin, s.session_pool_size, [this] { on_sessions_reopened(); }) {}

    CK_FUNCTION_LIST* f() const { return module.f(); }

    // Object handles found through the old sessions may mean nothing (or another object) now; session objects (kept
    // user keys) went with the sessions.
    void on_sessions_reopened() {
        std::lock_guard lock(handles_mutex);
        handles.clear();
        sessions_id = next_sessions_id();
    }

    // Runs `op` on a leased session; when the HSM lost the session, reopens the pool and runs it once more. Every
    // operation here may be repeated: a signature, an unwrap into a new session object, a lookup.
    template <class Op>
    auto with_session(Op&& op) -> decltype(op(CK_SESSION_HANDLE{})) {
        std::uint64_t generation = 0;
        try {
            auto lease = pool.acquire();
            generation = lease.generation();
            return op(lease.handle());
        } catch (const SessionLost&) {
            // the lease is back in the pool: recover() waits for all of them
        }
        pool.recover(generation);
        auto lease = pool.acquire();
        return op(lease.handle());
    }

    std::optional<CK_OBJECT_HANDLE> find(CK_SESSION_HANDLE s, CK_OBJECT_CLASS cls, const std::string& label) {
        {
            std::lock_guard lock(handles_mutex);
            auto it = handles.find({cls, label});
            if (it != handles.end()) return it->second;
        }
        Attr t;
        t.add_ulong(CKA_CLASS, cls).add_text(CKA_LABEL, label);
        check_ckr(f()->C_FindObjectsInit(s, t.data(), t.size()), "C_FindObjectsInit");
        CK_OBJECT_HANDLE h = CK_INVALID_HANDLE;
        CK_ULONG n = 0;
        CK_RV rv = f()->C_FindObjects(s, &h, 1, &n);
        f()->C_FindObjectsFinal(s);
        check_ckr(rv, "C_FindObjects");
        if (n == 0) return std::nullopt;
        std::lock_guard lock(handles_mutex);
        handles[{cls, label}] = h;
        return h;
    }

    CK_OBJECT_HANDLE require(CK_SESSION_HANDLE s, CK_OBJECT_CLASS cls, const std::string& label) {
        auto h = find(s, cls, label);
        if (!h) throw Error("hsm.key_not_found", 500, "the HSM has no key labelled '" + label + "'");
        return *h;
    }

    // blob1 → a session private key object (sensitive, never extractable).
    CK_OBJECT_HANDLE unwrap_private_key(CK_SESSION_HANDLE s, const std::string& kek_label, const Bytes& wrapped,
                                        KeyType type) {
        CK_OBJECT_HANDLE kek = require(s, CKO_SECRET_KEY, kek_label);
        Attr t;
        t.add_ulong(CKA_CLASS, CKO_PRIVATE_KEY).add_ulong(CKA_KEY_TYPE, is_rsa(type) ? CKK_RSA : CKK_EC)
            .add_bool(CKA_TOKEN, false).add_bool(CKA_PRIVATE, true).add_bool(CKA_SENSITIVE, true)
            .add_bool(CKA_EXTRACTABLE, false).add_bool(CKA_SIGN, true);
        CK_MECHANISM unwrap{CKM_AES_KEY_WRAP_PAD, nullptr, 0};
        CK_OBJECT_HANDLE h = CK_INVALID_HANDLE;
        core::SecureBytes blob(wrapped.begin(), wrapped.end());  // C_UnwrapKey wants a mutable buffer; wiped after
        check_ckr(f()->C_UnwrapKey(s, &unwrap, kek, blob.data(), static_cast<CK_ULONG>(blob.size()), t.data(), t.size(), &h),
                  "C_UnwrapKey", Operation::Unwrap);
        return h;
    }

    // One C_SignInit + C_Sign; the token's raw output.
    Bytes c_sign(CK_SESSION_HANDLE s, CK_OBJECT_HANDLE key, CK_MECHANISM& mech, Bytes input) {
        check_ckr(f()->C_SignInit(s, &mech, key), "C_SignInit", Operation::Sign);
        CK_ULONG len = 0;
        check_ckr(f()->C_Sign(s, input.data(), input.size(), nullptr, &len), "C_Sign", Operation::Sign);
        Bytes sig(len);
        check_ckr(f()->C_Sign(s, input.data(), input.size(), sig.data(), &len), "C_Sign", Operation::Sign);
        sig.resize(len);
        return sig;
    }

    Bytes sign_with(CK_SESSION_HANDLE s, CK_OBJECT_HANDLE key, const SignScheme& scheme, const Bytes& digest) {
        if (digest.size() != digest_size(scheme.hash))
            throw Error("hsm.bad_digest", 400, "digest length does not match the hash algorithm");
        CK_MECHANISM mech{};
        CK_RSA_PKCS_PSS_PARAMS pss{};
        Bytes input;
        switch (scheme.kind) {
            case SignScheme::Kind::RsaPkcs1v15:
                mech.mechanism = CKM_RSA_PKCS;
                input = digest_info_prefix(scheme.hash);
                input.insert(input.end(), digest.begin(), digest.end());
                break;
            case SignScheme::Kind::RsaPss:
                mech.mechanism = CKM_RSA_PKCS_PSS;
                pss.hashAlg = ck_hash(scheme.hash);
                pss.mgf = ck_mgf(scheme.hash);
                pss.sLen = scheme.pss_salt_length;
                mech.pParameter = &pss;
                mech.ulParameterLen = sizeof pss;
                input = digest;
                break;
            case SignScheme::Kind::Ecdsa:
                mech.mechanism = CKM_ECDSA;
                input = digest;
                break;
        }
        Bytes sig = c_sign(s, key, mech, std::move(input));
        return scheme.kind == SignScheme::Kind::Ecdsa ? ecdsa_raw_to_der(sig) : sig;
    }

    // For the OpenSSL view of a token key (hsm_evp_key): OpenSSL has already encoded the input for the mechanism.
    Bytes sign_raw(const std::string& label, CK_MECHANISM_TYPE mechanism, const Bytes& input) {
        return with_session([&](CK_SESSION_HANDLE s) {
            CK_MECHANISM mech{mechanism, nullptr, 0};
            return c_sign(s, require(s, CKO_PRIVATE_KEY, label), mech, input);
        });
    }
};

Keystore::Keystore(const HsmSettings& settings) : m_impl(std::make_unique<Impl>(settings)) {}
Keystore::~Keystore() = default;

Bytes Keystore::generate_key_pair(const std::string& label, KeyType type) {
    return m_impl->with_session([&](CK_SESSION_HANDLE s) {
        if (m_impl->find(s, CKO_PRIVATE_KEY, label))
            throw Error("hsm.key_exists", 409, "the HSM already holds a key labelled '" + label + "'");
        Attr pub, priv;
        CK_MECHANISM_TYPE mt = 0;
        add_key_pair_templates(type, label, true, pub, priv, mt);
        CK_MECHANISM mech{mt, nullptr, 0};
        CK_OBJECT_HANDLE hpub = CK_INVALID_HANDLE, hpriv = CK_INVALID_HANDLE;
        check_ckr(m_impl->f()->C_GenerateKeyPair(s, &mech, pub.data(), pub.size(), priv.data(), priv.size(), &hpub,
                                                 &hpriv),
                  "C_GenerateKeyPair");
        return spki_from_object(m_impl->f(), s, hpub);
    });
}

void Keystore::generate_secret_key(const std::string& label, SecretKeyKind kind) {
    m_impl->with_session([&](CK_SESSION_HANDLE s) {
        if (m_impl->find(s, CKO_SECRET_KEY, label))
            throw Error("hsm.key_exists", 409, "the HSM already holds a key labelled '" + label + "'");
        Attr t;
        t.add_ulong(CKA_CLASS, CKO_SECRET_KEY).add_bool(CKA_TOKEN, true).add_bool(CKA_PRIVATE, true)
            .add_bool(CKA_SENSITIVE, true).add_bool(CKA_EXTRACTABLE, false).add_text(CKA_LABEL, label)
            .add_text(CKA_ID, label).add_ulong(CKA_VALUE_LEN, 32);
        CK_MECHANISM mech{CKM_AES_KEY_GEN, nullptr, 0};
        switch (kind) {
            case SecretKeyKind::AesWrap:
                t.add_ulong(CKA_KEY_TYPE, CKK_AES).add_bool(CKA_WRAP, true).add_bool(CKA_UNWRAP, true);
                break;
            case SecretKeyKind::AesGcm:
                t.add_ulong(CKA_KEY_TYPE, CKK_AES).add_bool(CKA_ENCRYPT, true).add_bool(CKA_DECRYPT, true);
                break;
            case SecretKeyKind::HmacSha256:
                mech.mechanism = CKM_GENERIC_SECRET_KEY_GEN;
                t.add_ulong(CKA_KEY_TYPE, CKK_GENERIC_SECRET).add_bool(CKA_SIGN, true).add_bool(CKA_VERIFY, true);
                break;
        }
        CK_OBJECT_HANDLE h = CK_INVALID_HANDLE;
        check_ckr(m_impl->f()->C_GenerateKey(s, &mech, t.data(), t.size(), &h), "C_GenerateKey");
    });
}

bool Keystore::has_key(const std::string& label) {
    return m_impl->with_session([&](CK_SESSION_HANDLE s) {
        return m_impl->find(s, CKO_PRIVATE_KEY, label).has_value() || m_impl->find(s, CKO_SECRET_KEY, label).has_value();
    });
}

Bytes Keystore::public_key_der(const std::string& label) {
    return m_impl->with_session([&](CK_SESSION_HANDLE s) {
        return spki_from_object(m_impl->f(), s, m_impl->require(s, CKO_PUBLIC_KEY, label));
    });
}

Bytes Keystore::sign_digest(const std::string& label, const SignScheme& scheme, const Bytes& digest) {
    return m_impl->with_session([&](CK_SESSION_HANDLE s) {
        return m_impl->sign_with(s, m_impl->require(s, CKO_PRIVATE_KEY, label), scheme, digest);
    });
}

WrappedKeyPair Keystore::generate_wrapped_key_pair(const std::string& kek_label, KeyType type) {
    return m_impl->with_session([&](CK_SESSION_HANDLE s) {
        CK_OBJECT_HANDLE kek = m_impl->require(s, CKO_SECRET_KEY, kek_label);
        Attr pub, priv;
        CK_MECHANISM_TYPE mt = 0;
        add_key_pair_templates(type, "", false, pub, priv, mt);
        CK_MECHANISM mech{mt, nullptr, 0};
        CK_OBJECT_HANDLE hpub = CK_INVALID_HANDLE, hpriv = CK_INVALID_HANDLE;
        check_ckr(m_impl->f()->C_GenerateKeyPair(s, &mech, pub.data(), pub.size(), priv.data(), priv.size(), &hpub,
                                                 &hpriv),
                  "C_GenerateKeyPair");
        ObjectGuard guard_pub(m_impl->module, s, hpub), guard_priv(m_impl->module, s, hpriv);
        WrappedKeyPair out;
        out.public_key_der = spki_from_object(m_impl->f(), s, hpub);
        CK_MECHANISM wrap{CKM_AES_KEY_WRAP_PAD, nullptr, 0};  // RFC 5649
        CK_ULONG len = 0;
        check_ckr(m_impl->f()->C_WrapKey(s, &wrap, kek, hpriv, nullptr, &len), "C_WrapKey");
        out.wrapped_private_key.resize(len);
        check_ckr(m_impl->f()->C_WrapKey(s, &wrap, kek, hpriv, out.wrapped_private_key.data(), &len), "C_WrapKey");
        out.wrapped_private_key.resize(len);
        return out;
    });
}

Bytes Keystore::sign_digest_with_wrapped(const std::string& kek_label, const Bytes& wrapped, KeyType type,
                                         const SignScheme& scheme, const Bytes& digest) {
    return sign_digests_with_wrapped(kek_label, wrapped, type, scheme, {digest}).front();
}

std::vector<Bytes> Keystore::sign_digests_with_wrapped(const std::string& kek_label, const Bytes& wrapped, KeyType type,
                                                       const SignScheme& scheme, const std::vector<Bytes>& digests) {
    return m_impl->with_session([&](CK_SESSION_HANDLE s) {
        CK_OBJECT_HANDLE h = m_impl->unwrap_private_key(s, kek_label, wrapped, type);
        ObjectGuard guard(m_impl->module, s, h);
        std::vector<Bytes> out;
        out.reserve(digests.size());
        for (const Bytes& d : digests) out.push_back(m_impl->sign_with(s, h, scheme, d));
        return out;
    });
}

SessionKey Keystore::unwrap_session_key(const std::string& kek_label, const Bytes& wrapped, KeyType type) {
    return m_impl->with_session([&](CK_SESSION_HANDLE s) {
        // read before the unwrap: a reopening after it would give the key the old set's name, and it would be refused
        std::uint64_t sessions = m_impl->sessions_id;
        return SessionKey{m_impl->unwrap_private_key(s, kek_label, wrapped, type), sessions};
    });
}

std::vector<Bytes> Keystore::sign_digests_with_session_key(const SessionKey& key, const SignScheme& scheme,
                                                           const std::vector<Bytes>& digests) {
    // PKCS#11 v2.40 §2.4 (objects): a session object is visible to every session of the application that made it, so
    // any pooled session may use it, as long as the set of sessions that made it is still open.
    return m_impl->with_session([&](CK_SESSION_HANDLE s) {
        if (key.sessions != m_impl->sessions_id)
            throw Error("hsm.session_key_gone", 500, "the HSM sessions that held the kept key are gone");
        std::vector<Bytes> out;
        out.reserve(digests.size());
        for (const Bytes& d : digests) out.push_back(m_impl->sign_with(s, key.object, scheme, d));
        return out;
    });
}

void Keystore::destroy_session_key(const SessionKey& key) noexcept {
    try {
        auto lease = m_impl->pool.acquire();
        if (key.sessions != m_impl->sessions_id) return;  // went with its sessions
        ObjectGuard guard(m_impl->module, lease.handle(), key.object);
    } catch (...) {
        // the HSM dropped it already (a closed session takes its objects with it)
    }
}

Bytes Keystore::hmac_sha256(const std::string& label, const std::uint8_t* data, std::size_t size) {
    return m_impl->with_session([&](CK_SESSION_HANDLE s) {
        CK_MECHANISM mech{CKM_SHA256_HMAC, nullptr, 0};
        return m_impl->c_sign(s, m_impl->require(s, CKO_SECRET_KEY, label), mech, Bytes(data, data + size));
    });
}

namespace {
constexpr std::size_t kGcmIvSize = 12, kGcmTagSize = 16;

// CK_GCM_PARAMS (PKCS#11 v2.40 current mechanisms, AES-GCM) over buffers the caller keeps alive (the token wants
// mutable pointers); tags of 16 bytes.
CK_GCM_PARAMS gcm_params(Bytes& iv, Bytes& aad) {
    CK_GCM_PARAMS params{};
    params.pIv = iv.data();
    params.ulIvLen = iv.size();
    params.ulIvBits = iv.size() * 8;
    params.pAAD = aad.empty() ? nullptr : aad.data();
    params.ulAADLen = aad.size();
    params.ulTagBits = kGcmTagSize * 8;
    return params;
}
}  // namespace

Bytes Keystore::gcm_encrypt(const std::string& label, const Bytes& plaintext, const Bytes& aad) {
    Bytes iv = core::random_bytes(kGcmIvSize);  // NIST SP 800-38D §8.2.2 random IVs
    return m_impl->with_session([&](CK_SESSION_HANDLE s) {
        CK_OBJECT_HANDLE key = m_impl->require(s, CKO_SECRET_KEY, label);
        Bytes aad_copy = aad, pt = plaintext;
        CK_GCM_PARAMS params = gcm_params(iv, aad_copy);
        CK_MECHANISM mech{CKM_AES_GCM, &params, sizeof params};
        check_ckr(m_impl->f()->C_EncryptInit(s, &mech, key), "C_EncryptInit(GCM)");
        CK_ULONG len = 0;
        check_ckr(m_impl->f()->C_Encrypt(s, pt.data(), pt.size(), nullptr, &len), "C_Encrypt(GCM)");
        Bytes out(kGcmIvSize + len);
        std::memcpy(out.data(), iv.data(), kGcmIvSize);
        check_ckr(m_impl->f()->C_Encrypt(s, pt.data(), pt.size(), out.data() + kGcmIvSize, &len), "C_Encrypt(GCM)");
        out.resize(kGcmIvSize + len);
        core::secure_wipe(pt.data(), pt.size());
        return out;
    });
}

core::SecureBytes Keystore::gcm_decrypt(const std::string& label, const Bytes& sealed, const Bytes& aad) {
    if (sealed.size() < kGcmIvSize + kGcmTagSize)
        throw Error("hsm.decrypt_failed", 400, "sealed data is too short to be AES-GCM output");
    return m_impl->with_session([&](CK_SESSION_HANDLE s) {
        CK_OBJECT_HANDLE key = m_impl->require(s, CKO_SECRET_KEY, label);
        Bytes iv(sealed.begin(), sealed.begin() + kGcmIvSize), ct(sealed.begin() + kGcmIvSize, sealed.end());
        Bytes aad_copy = aad;
        CK_GCM_PARAMS params = gcm_params(iv, aad_copy);
        CK_MECHANISM mech{CKM_AES_GCM, &params, sizeof params};
        check_ckr(m_impl->f()->C_DecryptInit(s, &mech, key), "C_DecryptInit(GCM)");
        CK_ULONG len = ct.size();
        core::SecureBytes out(ct.size());
        check_ckr(m_impl->f()->C_Decrypt(s, ct.data(), ct.size(), out.data(), &len), "C_Decrypt(GCM)",
                  Operation::Decrypt);
        out.resize(len);
        return out;
    });
}

EVP_PKEY* Keystore::private_key(const std::string& label) {
    std::lock_guard lock(m_impl->evp_keys_mutex);
    auto it = m_impl->evp_keys.find(label);
    if (it != m_impl->evp_keys.end()) return it->second.get();
    Impl* impl = m_impl.get();  // the keys live in Impl and go before the pool
    EvpPkeyPtr key = hsm_evp_key(public_key_der(label), [impl, label](unsigned long mechanism, const Bytes& input) {
        return impl->sign_raw(label, mechanism, input);
    });
    return m_impl->evp_keys.emplace(label, std::move(key)).first->second.get();
}

std::uint64_t Keystore::sessions_reopened() const { return m_impl->pool.reopened_count(); }

}  // namespace yq::keystore
