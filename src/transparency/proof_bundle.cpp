#include "transparency/proof_bundle.hpp"

#include "core/error.hpp"
#include "pki/chain_check.hpp"

namespace yq::transparency {

nlohmann::json tree_head_json(const SignedTreeHead& head) {
    // RFC 6962 §4.3 get-sth
    return {{"tree_size", head.tree_size},
            {"timestamp", head.timestamp_ms},
            {"sha256_root_hash", core::base64_encode(head.root_hash)},
            {"tree_head_signature", core::base64_encode(head.signature)}};
}

nlohmann::json proof_bundle_json(const InclusionProof& proof, const LogCertificates& certificates) {
    nlohmann::json path = nlohmann::json::array();
    for (const auto& p : proof.audit_path) path.push_back(core::base64_encode(p));
    return {{"leaf_index", proof.leaf.index},
            {"leaf_data", proof.leaf.data},
            {"leaf_hash", core::base64_encode(proof.leaf.hash)},
            {"audit_path", path},
            {"sth", tree_head_json(proof.head)},
            {"log_certificate", core::base64_encode(certificates.log_certificate)},
            {"issuing_certificate", core::base64_encode(certificates.issuing_certificate)}};
}

BundleCheck verify_bundle(const nlohmann::json& bundle, const core::Bytes& root_der) {
    BundleCheck r;
    SignedTreeHead head;
    std::vector<core::Bytes> path;
    std::string leaf_text;
    core::Bytes log_cert, issuing_cert;
    try {
        r.leaf_index = bundle.at("leaf_index").get<std::int64_t>();
        leaf_text = bundle.at("leaf_data").get<std::string>();
        for (const auto& p : bundle.at("audit_path")) path.push_back(core::base64_decode(p.get<std::string>()));
        const auto& sth = bundle.at("sth");
        head = SignedTreeHead{sth.at("tree_size").get<std::int64_t>(), sth.at("timestamp").get<std::int64_t>(),
                              core::base64_decode(sth.at("sha256_root_hash").get<std::string>()),
                              core::base64_decode(sth.at("tree_head_signature").get<std::string>())};
        log_cert = core::base64_decode(bundle.at("log_certificate").get<std::string>());
        issuing_cert = core::base64_decode(bundle.at("issuing_certificate").get<std::string>());
    } catch (const nlohmann::json::exception&) {
        r.problem = "the file is not a transparency proof (a field is missing or of the wrong type)";
        return r;
    } catch (const Error&) {
        r.problem = "a binary field of the proof is not base64";
        return r;
    }
    r.tree_size = head.tree_size;
    r.timestamp_ms = head.timestamp_ms;
    try {
        r.use = parse_leaf_data(leaf_text);
    } catch (const Error& e) {
        r.problem = e.what();
        return r;
    }
    // RFC 9162 §2.1.3.2
    if (!verify_inclusion(leaf_hash(leaf_text), r.leaf_index, head.tree_size, path, head.root_hash)) {
        r.problem = "the leaf and its audit path do not lead to the signed root: the leaf is not in this tree";
        return r;
    }
    core::Bytes log_key;
    try {
        log_key = pki::public_key_of(log_cert);
    } catch (const Error&) {
        r.problem = "the log certificate cannot be read";
        return r;
    }
    if (!verify_tree_head(head, log_key)) {
        r.problem = "the tree head's signature does not verify with the log certificate's key";
        return r;
    }
    if (std::string chain = pki::presented_chain_problem(log_cert, issuing_cert, root_der, head.timestamp_ms / 1000);
        !chain.empty()) {
        r.problem = "the log certificate does not chain to the root given (" + chain + ")";
        return r;
    }
    r.ok = true;
    return r;
}

}  // namespace yq::transparency
