#pragma once
// keystore-internal: HSM private keys as OpenSSL EVP_PKEYs through libp11's PKCS#11 engine (design: "keep the engine
// inside keystore/ behind our own key handle type, so a provider can replace it later").
#include <map>
#include <mutex>
#include <string>

#include "core/secure_buffer.hpp"
#include "keystore/keystore.hpp"

using ENGINE = struct engine_st;

namespace yq::keystore::detail {

class EngineKeys {
public:
    EngineKeys(const std::string& engine_path, const std::string& module_path, const std::string& token_label,
               const core::SecureString& user_pin);
    ~EngineKeys();
    EngineKeys(const EngineKeys&) = delete;
    EngineKeys& operator=(const EngineKeys&) = delete;

    EVP_PKEY* load(const std::string& label);

private:
    std::string m_token_label;
    ENGINE* m_engine = nullptr;
    std::mutex m_mutex;
    std::map<std::string, EvpPkeyPtr> m_keys;
};

}  // namespace yq::keystore::detail
