// CSC API signatures/signHash and signatures/timestamp (see csc_methods.hpp).
#include "signing/csc_error.hpp"
#include "web/handlers/csc/csc_methods.hpp"

namespace yq::web::csc {

using nlohmann::json;
using signing::csc_error;

Response sign_hash(const CscRouteServices& s, const Request& req, Dialect d) {
    auto [account, j] = authenticated(s.csc, req);
    signing::SignHashRequest r;
    r.credential_id = req_string(j, "credentialID");
    r.sad = req_string(j, "SAD");
    r.hashes = hash_list(j, d == Dialect::V1 ? "hash" : "hashes", true);
    r.hash_field_name = d == Dialect::V1 ? "hashAlgo" : "hashAlgorithmOID";
    r.client = d == Dialect::V1 ? "csc/v1 signHash" : "csc/v2 signHash";
    r.hash_algorithm_oid = opt_string(j, r.hash_field_name.c_str()).value_or("");
    r.sign_algo = req_string(j, "signAlgo");
    if (auto p = opt_string(j, "signAlgoParams")) {
        try {
            r.sign_algo_params = core::base64_decode(*p);
        } catch (const Error&) {
            csc_error(400, "invalid_request", "Invalid parameter signAlgoParams");
        }
    }
    if (auto mode = opt_string(j, "operationMode"); mode && *mode != "S")
        csc_error(400, "invalid_request", "Invalid parameter operationMode");  // asynchronous mode not offered
    json signatures = json::array();
    for (const auto& signature : s.csc.sign_hash(account, r)) signatures.push_back(core::base64_encode(signature));
    return json_response(200, json{{"signatures", signatures}});
}

Response timestamp(const CscRouteServices& s, const Request& req, Dialect) {
    auto [account, j] = authenticated(s.csc, req);
    core::Bytes hash;
    try {
        hash = core::base64_decode(req_string(j, "hash"));
    } catch (const Error& e) {
        if (e.code().rfind("csc.", 0) == 0) throw;
        csc_error(400, "invalid_request", "Invalid Base64 hash string parameter");
    }
    std::string nonce = opt_string(j, "nonce").value_or("");
    core::Bytes token = s.csc.timestamp(hash, req_string(j, "hashAlgo"), nonce);
    return json_response(200, json{{"timestamp", core::base64_encode(token)}});
}

}  // namespace yq::web::csc
