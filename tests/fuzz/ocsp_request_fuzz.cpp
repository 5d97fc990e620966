// libFuzzer: arbitrary bytes as an OCSP request to the real responder (RFC 6960). Must never crash; must always answer
// with a DER OCSPResponse.
#include <openssl/ocsp.h>

#include <cstdlib>

#include "fuzz/fuzz_environment.hpp"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
    auto& env = yq::fuzz::environment();
    yq::core::Bytes out = env.ocsp->respond(yq::core::Bytes(data, data + size));
    const unsigned char* p = out.data();
    OCSP_RESPONSE* resp = d2i_OCSP_RESPONSE(nullptr, &p, static_cast<long>(out.size()));
    if (resp == nullptr) std::abort();  // every answer must be a valid OCSPResponse
    OCSP_RESPONSE_free(resp);
    return 0;
}
