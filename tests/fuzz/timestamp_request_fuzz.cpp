// libFuzzer: arbitrary bytes as an RFC 3161 TimeStampReq to the real TSA. Must never crash; must always answer with a
// DER TimeStampResp (granted or rejection).
#include <openssl/ts.h>

#include <cstdlib>

#include "core/error.hpp"
#include "fuzz/fuzz_environment.hpp"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
    auto& env = yq::fuzz::environment();
    yq::core::Bytes out = env.tsa->respond(yq::core::Bytes(data, data + size));
    const unsigned char* p = out.data();
    TS_RESP* resp = d2i_TS_RESP(nullptr, &p, static_cast<long>(out.size()));
    if (resp == nullptr) std::abort();
    TS_RESP_free(resp);
    return 0;
}
