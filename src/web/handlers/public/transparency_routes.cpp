#include "web/handlers/public/transparency_routes.hpp"

#include <charconv>

#include "core/clock.hpp"
#include "core/error.hpp"
#include "transparency/proof_bundle.hpp"
#include "web/handlers/api_support.hpp"
#include "core/json_text.hpp"

namespace yq::web {

namespace {

using nlohmann::json;

std::int64_t size_param(const Request& req, const char* name) {
    std::string text = query_value(req, name);
    std::int64_t v = -1;
    auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), v);
    if (text.empty() || ec != std::errc() || end != text.data() + text.size() || v < 0)
        throw_bad_input("transparency.bad_range", std::string("give ") + name + " as a whole number of leaves (≥ 0)");
    return v;
}

json path_json(const std::vector<core::Bytes>& path) {
    json out = json::array();
    for (const auto& p : path) out.push_back(core::base64_encode(p));
    return out;
}

// RFC 6962 §4.5 gives the leaf hash in base64; a 64-digit hex hash (as the notice mails print it) is accepted too.
core::Bytes leaf_hash_param(const Request& req) {
    std::string text = query_value(req, "hash");
    try {
        core::Bytes h = text.size() == 64 ? core::hex_decode(text) : core::base64_decode(text);
        if (h.size() == 32) return h;
    } catch (const Error&) {
    }
    throw_bad_input("transparency.bad_hash", "give hash as the leaf's SHA-256 hash, in base64 or 64 hex digits");
}

}  // namespace

json leaf_json(const transparency::StoredLeaf& leaf) {
    transparency::KeyUse use = transparency::parse_leaf_data(leaf.data);
    return {{"leaf_index", leaf.index},
            {"leaf_hash", core::base64_encode(leaf.hash)},
            {"leaf_data", leaf.data},
            {"digest", core::hex_encode(use.digest)},
            {"hash_algorithm", use.hash_algorithm_oid},
            {"certificate_serial", use.certificate_serial},
            {"client", use.client},
            {"time", core::to_rfc3339(use.time)}};
}

Response own_leaf_proof(transparency::SigningLog& log, const std::string& account_id, const std::string& index_text) {
    std::int64_t index = -1;
    auto [end, ec] = std::from_chars(index_text.data(), index_text.data() + index_text.size(), index);
    auto leaf = ec == std::errc() && end == index_text.data() + index_text.size() ? log.leaf(index) : std::nullopt;
    if (!leaf || leaf->account_id != account_id)
        throw_not_found("transparency.unknown_leaf", "you have no entry " + index_text + " in the signing log");
    return proof_file(log, index);
}

Response proof_file(transparency::SigningLog& log, std::int64_t index) {
    Response r = Response::bytes("application/json",
                                 core::json_text(transparency::proof_bundle_json(log.inclusion(index), log.certificates()), 2));
    r.headers.emplace_back("Cache-Control", "no-store");
    r.headers.emplace_back("Content-Disposition", "attachment; filename=\"leaf-" + std::to_string(index) + "-proof.json\"");
    return r;
}

void register_transparency_routes(Router& router, transparency::SigningLog& log) {
    // RFC 6962 §4.3 get-sth
    router.add("GET", "/api/v1/transparency/sth",
               [&log](const Request&) { return json_response(transparency::tree_head_json(log.latest_head())); },
               Execution::Blocking, "transparency_sth");
    // RFC 6962 §4.4 get-sth-consistency
    router.add("GET", "/api/v1/transparency/consistency",
               [&log](const Request& req) {
                   return json_response(
                       {{"consistency", path_json(log.consistency(size_param(req, "first"), size_param(req, "second")))}});
               },
               Execution::Blocking, "transparency_consistency");
    // RFC 6962 §4.5 get-proof-by-hash
    router.add("GET", "/api/v1/transparency/proof-by-hash",
               [&log](const Request& req) {
                   auto [index, path] = log.proof_by_hash(leaf_hash_param(req), size_param(req, "tree_size"));
                   return json_response({{"leaf_index", index}, {"audit_path", path_json(path)}});
               },
               Execution::Blocking, "transparency_proof_by_hash");
    // The log's certificate and its issuer, to check head signatures with (the root is in /repo/root.crt).
    router.add("GET", "/api/v1/transparency/certificates",
               [&log](const Request&) {
                   auto c = log.certificates();
                   return json_response({{"log_certificate", core::base64_encode(c.log_certificate)},
                                         {"issuing_certificate", core::base64_encode(c.issuing_certificate)}});
               },
               Execution::Blocking, "transparency_certificates");
}

}  // namespace yq::web
