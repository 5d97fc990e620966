// `yunqian ca issue | revoke | crl | list`: the certification authority's operator commands.
#include <iostream>
#include <memory>

#include "cli/app.hpp"
#include "cli/command.hpp"
#include "core/error.hpp"
#include "pki/revocation_reason.hpp"

namespace yq::cli {

namespace {

struct IssueArgs {
    std::string profile, csr_file, out_file;
};

struct RevokeArgs {
    std::string serial, reason = "unspecified", invalidity;
};

int issue(const std::string& home, const IssueArgs& a) {
    auto app = App::open(home);
    auto issued = app->ca->issue_from_csr(core::to_bytes(read_whole_file(a.csr_file)), a.profile, actor());
    write_whole_file(a.out_file, pki::to_pem(issued.certificate.get()));
    std::cout << "issued " << issued.record.serial << " " << issued.record.subject << "\n";
    return 0;
}

int revoke(const std::string& home, const RevokeArgs& a) {
    auto app = App::open(home);
    std::optional<std::int64_t> invalidity;
    if (!a.invalidity.empty()) invalidity = core::parse_rfc3339(a.invalidity);
    app->ca->revoke(a.serial, a.reason, invalidity, actor());
    std::cout << "revoked " << a.serial << " (" << a.reason << ")\n";
    return 0;
}

int publish_crl(const std::string& home, const std::string& out) {
    auto app = App::open(home);
    auto record = app->ca->publish_crl(actor());
    if (!out.empty()) write_whole_file(out, std::string(record.der.begin(), record.der.end()));
    std::cout << "published CRL number " << record.number << "\n";
    return 0;
}

int list_certificates(const std::string& home) {
    auto app = App::open(home);
    for (std::int64_t offset = 0;; offset += 500) {
        auto page = app->store->list_certificates(500, offset);
        for (const auto& r : page)
            std::cout << r.serial << "  " << r.status << "  " << r.profile << "  " << core::to_rfc3339(r.not_after)
                      << "  " << r.subject << "\n";
        if (page.size() < 500) break;
    }
    return 0;
}

}  // namespace

void add_ca_commands(CLI::App& cli, Commands& commands) {
    auto* ca = cli.add_subcommand("ca", "certification authority operations");
    ca->require_subcommand(1);

    auto issue_args = std::make_shared<IssueArgs>();
    auto* issue_cmd = ca->add_subcommand("issue", "issue a certificate from a PKCS#10 request");
    issue_cmd->add_option("--profile", issue_args->profile, "organisation | signer | ocsp | tsa")->required();
    issue_cmd->add_option("--csr", issue_args->csr_file, "PKCS#10 request, PEM or DER")->required();
    issue_cmd->add_option("--out", issue_args->out_file, "where to write the certificate (PEM)")->required();
    commands.push_back({issue_cmd, [issue_args](const std::string& home) { return issue(home, *issue_args); }});

    auto revoke_args = std::make_shared<RevokeArgs>();
    auto* revoke_cmd = ca->add_subcommand("revoke", "revoke a certificate");
    revoke_cmd->add_option("--serial", revoke_args->serial, "certificate serial number (hex)")->required();
    revoke_cmd->add_option("--reason", revoke_args->reason, "RFC 5280 reason: " + pki::reason_names());
    revoke_cmd->add_option("--invalidity-date", revoke_args->invalidity,
                           "when the key is known or suspected to have been compromised (UTC)");
    commands.push_back({revoke_cmd, [revoke_args](const std::string& home) { return revoke(home, *revoke_args); }});

    auto crl_out = std::make_shared<std::string>();
    auto* crl = ca->add_subcommand("crl", "publish a new CRL now");
    crl->add_option("--out", *crl_out, "also write the CRL (DER) to this file");
    commands.push_back({crl, [crl_out](const std::string& home) { return publish_crl(home, *crl_out); }});

    commands.push_back({ca->add_subcommand("list", "list issued certificates"), list_certificates});
}

}  // namespace yq::cli
