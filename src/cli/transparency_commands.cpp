#include "cli/transparency_commands.hpp"

#include <fstream>
#include <iostream>
#include <memory>

#include "cli/command.hpp"
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

void add_transparency_commands(CLI::App& cli, Commands& commands) {
    auto* log = cli.add_subcommand("transparency", "the signing transparency log (every use of a signer's key)");
    log->require_subcommand(1);

    struct VerifyArgs {
        std::string proof, root;
    };
    auto v = std::make_shared<VerifyArgs>();
    auto* verify = log->add_subcommand(
        "verify", "check an inclusion proof offline (--proof), or recompute this home's whole log and its signed heads");
    verify->add_option("--proof", v->proof, "a proof file from the portal, the record page or `transparency proof`");
    verify->add_option("--root", v->root,
                       "the root certificate as published (/repo/root.crt); required with --proof, default for the "
                       "stored log: the one carrying the HSM's root key");
    commands.push_back({verify, [v](const std::string& home) {
                            if (v->proof.empty()) return transparency_verify_log(*App::open(home), v->root);
                            if (v->root.empty())  // offline: no home needed, but the anchor is
                                throw_bad_input("cli.root_required",
                                                "give --root: the root certificate the proof must chain to (download "
                                                "it from the repository, /repo/root.crt)");
                            return transparency_verify_proof(v->proof, v->root);
                        }});

    auto* sign_head = log->add_subcommand("sign-head", "sign the log's current tree head with the HSM log key now");
    commands.push_back({sign_head, [](const std::string& home) {
                            auto head = App::open(home)->log->sign_head();
                            std::cout << (head ? "the log's tree head is signed at size " + std::to_string(head->tree_size)
                                               : std::string("the log is empty"))
                                      << "\n";
                            return 0;
                        }});

    struct ProofArgs {
        std::int64_t leaf = -1;
        std::string out;
    };
    auto p = std::make_shared<ProofArgs>();
    auto* proof = log->add_subcommand("proof", "write a leaf's inclusion proof to a file");
    proof->add_option("--leaf", p->leaf, "the leaf index")->required();
    proof->add_option("--out", p->out, "the proof file to write")->required();
    commands.push_back(
        {proof, [p](const std::string& home) { return transparency_write_proof(*App::open(home), p->leaf, p->out); }});
}

}  // namespace yq::cli
