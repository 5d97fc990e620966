#include "cli/transparency_commands.hpp"

#include <fstream>
#include <iostream>

#include "core/error.hpp"
#include "pki/audit_trust.hpp"
#include "pki/certificate_authority.hpp"
#include "transparency/proof_bundle.hpp"

namespace yq::cli {

int transparency_verify_proof(const std::string& proof_file, const std::string& root_file) {
    std::ifstream in(proof_file);
    if (!in) throw_bad_input("cli.file_unreadable", "cannot read " + proof_file);
    nlohmann::json bundle = nlohmann::json::parse(in, nullptr, false);
    if (bundle.is_discarded() || !bundle.is_object())
        throw_bad_input("transparency.bad_proof", proof_file + " is not JSON: give a proof file as the portal or "
                                                  "`yunqian transparency proof` writes it");
    transparency::BundleCheck check = transparency::verify_bundle(bundle, certificate_from_file(root_file));
    if (!check.ok) {
        std::cout << "transparency proof NOT VALID: " << check.problem << "\n";
        return 3;
    }
    std::cout << "transparency proof OK: leaf " << check.leaf_index << " is in the log's tree of " << check.tree_size
              << " leaves signed at " << core::to_rfc3339(check.timestamp_ms / 1000)
              << " by the log key chained to the root given\n"
              << "  signed digest  " << core::hex_encode(check.use.digest) << " (" << check.use.hash_algorithm_oid << ")\n"
              << "  certificate    " << check.use.certificate_serial << "\n"
              << "  at             " << core::to_rfc3339(check.use.time) << " via " << check.use.client << "\n";
    return 0;
}

int transparency_verify_log(App& app, const std::string& root_file) {
    pki::AuditTrust trust;
    try {
        trust = pki::trusted_service_key(*app.store, *app.keys, "transparency",
                                         root_file.empty() ? std::nullopt : std::optional(certificate_from_file(root_file)),
                                         app.clock.unix_seconds());
    } catch (const Error& e) {
        if (e.code() != "transparency.untrusted_key") throw;
        std::cout << "transparency log BROKEN: " << e.what() << "\n";
        return 3;
    }
    transparency::LogCheck check = app.log->check(trust.audit_public_key);
    if (!check.ok) {
        std::cout << "transparency log BROKEN";
        if (check.first_bad_leaf) std::cout << " at leaf " << *check.first_bad_leaf;
        std::cout << ": " << check.problem << "\n";
        return 3;
    }
    std::cout << "transparency log OK: " << check.leaves_checked << " leaves and " << check.nodes_checked
              << " nodes recomputed, " << check.heads_checked << " signed heads verified with the log key chained to "
              << trust.anchor << "\n";
    return 0;
}

int transparency_write_proof(App& app, std::int64_t index, const std::string& out) {
    nlohmann::json bundle = transparency::proof_bundle_json(app.log->inclusion(index), app.log->certificates());
    std::ofstream file(out);
    if (!(file << bundle.dump(2) << "\n")) throw_bad_input("cli.file_unwritable", "cannot write " + out);
    std::cout << "wrote the inclusion proof of leaf " << index << " to " << out << "\n";
    return 0;
}

}  // namespace yq::cli
