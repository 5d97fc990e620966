#include "cli/audit_commands.hpp"

#include <fstream>
#include <iostream>
#include <memory>
#include <nlohmann/json.hpp>

#include "audit/head_signer.hpp"
#include "cli/command.hpp"
#include "core/error.hpp"
#include "pki/audit_trust.hpp"
#include "pki/openssl_ptr.hpp"
#include "pki/time_stamp_authority.hpp"
#include "validation/checks.hpp"

namespace yq::cli {

namespace {

using nlohmann::json;

struct ExportedHead {
    audit::HeadSignature head;
    core::Bytes time_stamp;
};

std::vector<ExportedHead> read_heads(const std::string& path) {
    std::ifstream in(path);
    if (!in) throw_bad_input("cli.file_unreadable", "cannot read " + path);
    std::vector<ExportedHead> out;
    std::string line;
    for (int n = 1; std::getline(in, line); ++n) {
        if (line.empty()) continue;
        json j = json::parse(line, nullptr, false);
        if (j.is_discarded() || !j.is_object())
            throw_bad_input("audit.bad_heads_file", path + " line " + std::to_string(n) + " is not a head record");
        ExportedHead h;
        h.head.seq = j.value("seq", std::int64_t{0});
        h.head.hash = core::hex_decode(j.value("hash", ""));
        h.head.signature = core::base64_decode(j.value("signature", ""));
        h.head.signed_at = j.value("signed_at", std::int64_t{0});
        h.time_stamp = core::base64_decode(j.value("time_stamp", ""));
        out.push_back(std::move(h));
    }
    return out;
}

int broken(std::int64_t at, const std::string& why) {
    std::cout << "audit chain BROKEN at event " << at << ": " << why << "\n";
    return 3;
}

}  // namespace

int audit_verify(App& app, const AuditVerifyArgs& args) {
    std::int64_t now = app.clock.unix_seconds();
    pki::AuditTrust trust;
    try {
        trust = pki::trusted_audit_key(*app.store, *app.keys,
                                       args.root_file.empty() ? std::nullopt : std::optional(certificate_from_file(args.root_file)),
                                       now);
    } catch (const Error& e) {
        if (e.code() != "audit.untrusted_key") throw;
        return broken(0, e.what());
    }
    auto events = app.store->all_events();
    auto signatures = app.store->head_signatures();
    audit::VerifyReport r = audit::verify_chain(events, signatures, trust.audit_public_key);
    if (!r.ok) return broken(r.first_broken_seq.value_or(0), r.problem);
    auto present = static_cast<std::int64_t>(events.size());
    if (app.store->recorded_head_seq() != present)
        return broken(present + 1, "the chain head says " + std::to_string(app.store->recorded_head_seq()) +
                                       " events were written but only " + std::to_string(present) +
                                       " are present (events removed)");
    std::string unsigned_tail = audit::unsigned_events_problem(
        events, signatures, now, 2 * static_cast<std::int64_t>(app.config.audit.head_signing_interval_seconds));
    if (!unsigned_tail.empty()) return broken(0, unsigned_tail);

    std::size_t exported = 0;
    if (!args.heads_file.empty()) {
        for (const ExportedHead& h : read_heads(args.heads_file)) {
            std::string why, tsa;
            core::Bytes digest = audit::head_signature_digest(h.head.seq, h.head.hash);
            std::int64_t stamped = validation::verify_timestamp_token(h.time_stamp, digest,
                                                                      {trust.root_der, trust.issuing_der}, why, tsa);
            if (stamped == 0) return broken(h.head.seq, "the exported head's time-stamp: " + why);
            // The exported head, signed by the trusted audit key, must still be in the chain as it was.
            audit::VerifyReport one = audit::verify_chain(events, {h.head}, trust.audit_public_key);
            if (!one.ok)
                return broken(h.head.seq, "the head exported at " + core::to_rfc3339(stamped) + " (event " +
                                              std::to_string(h.head.seq) + ") " +
                                              (h.head.seq > present ? "is beyond the end of the chain: events were removed"
                                                                    : "does not match the chain: " + one.problem));
            ++exported;
        }
    }
    std::cout << "audit chain OK: " << r.events_checked << " events, " << r.signatures_checked
              << " HSM head signatures verified with the audit key chained to " << trust.anchor;
    if (!args.heads_file.empty()) std::cout << ", " << exported << " exported heads found in the chain";
    std::cout << "\n";
    return 0;
}

int audit_export_heads(App& app, const std::string& out) {
    audit::sign_head(*app.store, *app.keys, pki::kAuditKeyLabel, app.clock);
    auto signatures = app.store->head_signatures();
    if (signatures.empty()) throw_conflict("audit.nothing_to_export", "the audit chain has no events yet");
    const audit::HeadSignature& h = signatures.back();
    pki::TimeStampAuthority tsa(*app.ca);
    core::Bytes token = tsa.stamp_hash(audit::head_signature_digest(h.seq, h.hash), "sha256", "");
    json record{{"seq", h.seq},
                {"hash", core::hex_encode(h.hash)},
                {"signature", core::base64_encode(h.signature)},
                {"signed_at", h.signed_at},
                {"time_stamp", core::base64_encode(token)}};
    std::ofstream file(out, std::ios::app);
    file << record.dump() << "\n";
    file.flush();
    if (!file) throw Error("cli.file_unwritable", 500, "cannot append to " + out);
    std::cout << "exported the signed chain head at event " << h.seq << " (time-stamped) to " << out << "\n";
    return 0;
}

void add_audit_commands(CLI::App& cli, Commands& commands) {
    auto* audit_cmd = cli.add_subcommand("audit", "audit log");
    audit_cmd->require_subcommand(1);

    auto v = std::make_shared<AuditVerifyArgs>();
    auto* verify = audit_cmd->add_subcommand(
        "verify", "recompute the hash chain and check the HSM head signatures with the audit key chained to the root");
    verify->add_option("--root", v->root_file,
                       "the root certificate as published (PEM or DER); default: the one carrying the HSM's root key");
    verify->add_option("--heads", v->heads_file, "heads exported earlier with `audit export-heads`");
    commands.push_back({verify, [v](const std::string& home) { return audit_verify(*App::open(home), *v); }});

    auto heads_out = std::make_shared<std::string>();
    auto* export_heads = audit_cmd->add_subcommand(
        "export-heads", "time-stamp the signed chain head and append it to a file kept outside the database");
    export_heads->add_option("--out", *heads_out, "the file to append to")->required();
    commands.push_back(
        {export_heads, [heads_out](const std::string& home) { return audit_export_heads(*App::open(home), *heads_out); }});

    auto* sign_head = audit_cmd->add_subcommand("sign-head", "sign the current chain head with the HSM audit key now");
    commands.push_back({sign_head, [](const std::string& home) {
                            auto app = App::open(home);
                            auto s = audit::sign_head(*app->store, *app->keys, pki::kAuditKeyLabel, app->clock);
                            std::cout << (s ? "signed chain head at event " + std::to_string(s->seq)
                                            : std::string("head already signed"))
                                      << "\n";
                            return 0;
                        }});

    struct SearchArgs {
        audit::EventFilter filter;
        std::string since, until;
    };
    auto a = std::make_shared<SearchArgs>();
    auto* search = audit_cmd->add_subcommand("search", "search the audit log (newest first)");
    search->add_option("--object", a->filter.object, "object, e.g. application:app_… or a prefix with *: 'account:*'");
    search->add_option("--actor", a->filter.actor, "actor, e.g. staff:alice");
    search->add_option("--action", a->filter.action, "action, e.g. application.approved");
    search->add_option("--since", a->since, "from this time (RFC 3339, UTC)");
    search->add_option("--until", a->until, "before this time (RFC 3339, UTC)");
    search->add_option("--limit", a->filter.limit, "at most this many events (default 200)");
    commands.push_back({search, [a](const std::string& home) {
                            auto app = App::open(home);
                            audit::EventFilter f = a->filter;
                            if (!a->since.empty()) f.from = core::parse_rfc3339(a->since);
                            if (!a->until.empty()) f.to = core::parse_rfc3339(a->until);
                            for (const auto& e : app->store->search_events(f))
                                std::cout << e.seq << "  " << core::to_rfc3339(e.event.time) << "  " << e.event.actor
                                          << "  " << e.event.action << "  " << e.event.object << "  " << e.event.details
                                          << "\n";
                            return 0;
                        }});
}

}  // namespace yq::cli
