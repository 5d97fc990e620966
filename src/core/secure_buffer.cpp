#include "core/secure_buffer.hpp"

#include <openssl/crypto.h>

namespace yq::core {

void secure_wipe(void* data, std::size_t size) noexcept {
    if (data != nullptr && size > 0) OPENSSL_cleanse(data, size);
}

}  // namespace yq::core
