// libFuzzer: arbitrary bytes as a certificate request to the real CA. Must never crash; bad input must end in a
// yq::Error with a "ca." code, never another exception.
#include <cstdlib>

#include "core/error.hpp"
#include "fuzz/fuzz_environment.hpp"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
    auto& env = yq::fuzz::environment();
    try {
        env.app->ca->issue_from_csr(yq::core::Bytes(data, data + size), "signer", "fuzz");
    } catch (const yq::Error& e) {
        if (e.code().rfind("ca.", 0) != 0 && e.code().rfind("pki.", 0) != 0) std::abort();
    }
    return 0;
}
