#pragma once
// What every CSC method shares: the two dialects, the CSC error body, and reading the request's JSON fields with the
// CSC error the specification's reference implementation gives for each fault (CSC API v2 §10.1, §11).
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

#include "core/bytes.hpp"
#include "core/error.hpp"
#include "core/secure_buffer.hpp"
#include "signing/csc_service.hpp"
#include "web/http_types.hpp"

namespace yq::web::csc {

enum class Dialect { V1, V2 };

// A JSON answer, never cached (it may carry a token or a SAD).
Response json_response(int status, const nlohmann::json& body);
// CSC API v2 §10.1: {"error": …, "error_description": …}. accounts.* errors become the dialect's CSC errors.
Response csc_error_response(const Error& e, Dialect d);

nlohmann::json parse_body(const Request& req);  // an empty body is {}
std::optional<std::string> opt_string(const nlohmann::json& j, const char* key);
std::string req_string(const nlohmann::json& j, const char* key);
bool opt_bool(const nlohmann::json& j, const char* key, bool fallback);
int req_int(const nlohmann::json& j, const char* key);
// A list of base64 digests (at most 10,000).
std::vector<core::Bytes> hash_list(const nlohmann::json& j, const char* key, bool required);
std::string bearer_token(const Request& req);
// The PIN (v2 authData "PIN" or top-level "PIN"), its copy in the parsed body wiped (#14).
core::SecureString password_field(nlohmann::json& j, Dialect d);
std::string otp_field(const nlohmann::json& j, Dialect d);

// The preamble of every authenticated method: bearer token → account, then the JSON body (clientData checked).
struct Call {
    std::string account;
    nlohmann::json body;
};
Call authenticated(signing::CscService& csc, const Request& req);

// hashAlgorithmOID (v1 clients may send hashAlgo or nothing: then the digest length tells SHA-256/384/512 apart).
std::string hash_oid_for(const nlohmann::json& j, const std::vector<core::Bytes>& hashes);

}  // namespace yq::web::csc
