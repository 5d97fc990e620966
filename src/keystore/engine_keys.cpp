// OpenSSL 3 deprecates ENGINE; Debian 12 packages no PKCS#11 provider, so this one file uses it on purpose.
#pragma GCC diagnostic ignored "-Wdeprecated-declarations"
#include "keystore/engine_keys.hpp"

#include <openssl/engine.h>
#include <openssl/evp.h>

#include "core/bytes.hpp"
#include "core/error.hpp"

namespace yq::keystore::detail {

namespace {
void ctrl(ENGINE* e, const char* cmd, const char* arg, const std::string& what) {
    if (ENGINE_ctrl_cmd_string(e, cmd, arg, 0) != 1)
        throw Error("hsm.engine_failed", 503, "the OpenSSL PKCS#11 engine refused " + what);
}
// The pkcs11 engine if an earlier Keystore of this process loaded it (a structural reference, or nullptr).
ENGINE* find_loaded_engine() {
    for (ENGINE* e = ENGINE_get_first(); e != nullptr; e = ENGINE_get_next(e)) {
        if (std::string(ENGINE_get_id(e)) == "pkcs11") return e;  // ENGINE_get_next released the previous one
    }
    return nullptr;
}

}  // namespace

EngineKeys::EngineKeys(const std::string& engine_path, const std::string& module_path, const std::string& token_label,
                       const core::SecureString& user_pin)
    : m_token_label(token_label) {
    // The engine library can be bound only once per process: the first Keystore loads it into OpenSSL's engine list,
    // later ones (a re-opened installation, tests) take it from there.
    m_engine = find_loaded_engine();
    if (m_engine == nullptr) {
        ENGINE_load_dynamic();
        m_engine = ENGINE_by_id("dynamic");
        if (m_engine == nullptr) throw Error("hsm.engine_failed", 503, "OpenSSL has no dynamic engine loader");
        try {
            ctrl(m_engine, "SO_PATH", engine_path.c_str(),
                 "SO_PATH " + engine_path + " (is libengine-pkcs11-openssl installed?)");
            ctrl(m_engine, "ID", "pkcs11", "ID");
            ctrl(m_engine, "LIST_ADD", "1", "LIST_ADD");
            ctrl(m_engine, "LOAD", nullptr, "LOAD");
        } catch (...) {
            ENGINE_free(m_engine);
            throw;
        }
    }
    try {
        ctrl(m_engine, "MODULE_PATH", module_path.c_str(), "MODULE_PATH");
        core::SecureString pin = user_pin;
        ctrl(m_engine, "PIN", pin.c_str(), "PIN");
        if (ENGINE_init(m_engine) != 1) throw Error("hsm.engine_failed", 503, "the OpenSSL PKCS#11 engine did not start");
    } catch (...) {
        ENGINE_free(m_engine);
        throw;
    }
}

EngineKeys::~EngineKeys() {
    m_keys.clear();
    // The engine keeps its functional reference on purpose: finishing it makes libp11 unload its PKCS#11 context and
    // C_Finalize the module the rest of the process shares, after which a re-opened Keystore finds no keys. The engine
    // lives as long as the process, like the module (see detail::Module).
}

EVP_PKEY* EngineKeys::load(const std::string& label) {
    std::lock_guard lock(m_mutex);
    auto it = m_keys.find(label);
    if (it != m_keys.end()) return it->second.get();
    std::string uri = "pkcs11:token=" + core::percent_encode(m_token_label) + ";object=" + core::percent_encode(label) + ";type=private";
    EVP_PKEY* key = ENGINE_load_private_key(m_engine, uri.c_str(), nullptr, nullptr);
    if (key == nullptr) throw Error("hsm.key_not_found", 500, "the HSM has no private key labelled '" + label + "'");
    EVP_PKEY* raw = key;
    m_keys.emplace(label, EvpPkeyPtr(key));
    return raw;
}

}  // namespace yq::keystore::detail
