#include "transparency/log_entry.hpp"

#include <nlohmann/json.hpp>

#include "core/error.hpp"

namespace yq::transparency {

std::string leaf_data(const KeyUse& use) {
    // nlohmann::json's object keeps its keys sorted: dump() is the canonical form
    nlohmann::json j{{"v", kLeafVersion},
                     {"credential", use.credential_id},
                     {"certificate", use.certificate_serial},
                     {"hash_alg", use.hash_algorithm_oid},
                     {"digest", core::hex_encode(use.digest)},
                     {"time", use.time},
                     {"client", use.client},
                     {"sad", use.sad_id}};
    return j.dump();
}

KeyUse parse_leaf_data(const std::string& data) {
    try {
        nlohmann::json j = nlohmann::json::parse(data);
        if (j.at("v").get<int>() != kLeafVersion)
            throw_bad_input("transparency.bad_leaf", "the leaf has an unknown version");
        KeyUse use{j.at("credential").get<std::string>(), j.at("certificate").get<std::string>(),
                   j.at("hash_alg").get<std::string>(),   core::hex_decode(j.at("digest").get<std::string>()),
                   j.at("time").get<std::int64_t>(),      j.at("client").get<std::string>(),
                   j.at("sad").get<std::string>()};
        if (leaf_data(use) != data)  // only the canonical text is a leaf: its hash must be reproducible from the fields
            throw_bad_input("transparency.bad_leaf", "the leaf's text is not in canonical form");
        return use;
    } catch (const nlohmann::json::exception&) {
        throw_bad_input("transparency.bad_leaf", "the leaf's text is not the JSON of a signing log entry");
    } catch (const Error& e) {
        if (e.code() == "transparency.bad_leaf") throw;
        throw_bad_input("transparency.bad_leaf", "the leaf's digest is not hex");
    }
}

}  // namespace yq::transparency
