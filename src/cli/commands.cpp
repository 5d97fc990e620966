// The `yunqian` command line (see commands.hpp): init and serve here; every other group adds its own subcommands
// (command.hpp). Errors become a message on stderr and exit code 1; usage errors exit 2.
#include "cli/commands.hpp"

#include <CLI/CLI.hpp>
#include <iostream>

#include "cli/app.hpp"
#include "cli/command.hpp"
#include "cli/serve.hpp"
#include "core/error.hpp"

namespace yq::cli {

namespace {

int init(const std::string& home, const std::string& listen) {
    auto secrets = initialise_home(home, listen);
    std::cout << "yunqian home ready: " << home << "\n";
    if (secrets)
        print_staff_secrets(ra::kInitialAdmin, *secrets);
    else
        std::cout << "admin account exists; `yunqian admin reset-password` issues a new one-time password\n";
    return 0;
}

}  // namespace

int run(int argc, char** argv) {
    CLI::App cli{"yunqian (雲簽) — remote signing service for a certification authority"};
    cli.require_subcommand(1);
    std::string home_flag;
    cli.add_option("--home", home_flag, "state directory (default: $YQ_HOME or ./var)");

    Commands commands;
    std::string init_listen, serve_listen;
    auto* init_cmd = cli.add_subcommand("init", "create the HSM token, database, CA hierarchy and first admin (idempotent)");
    init_cmd->add_option("--listen", init_listen, "HOST:PORT written into a new config (listener and certificate URLs)");
    commands.push_back({init_cmd, [&init_listen](const std::string& home) { return init(home, init_listen); }});
    auto* serve_cmd = cli.add_subcommand("serve", "run the HTTP server");
    serve_cmd->add_option("--listen", serve_listen, "HOST:PORT, overrides server.listener");
    commands.push_back({serve_cmd, [&serve_listen](const std::string& home) { return serve(home, serve_listen); }});
    add_ca_commands(cli, commands);
    add_audit_commands(cli, commands);
    add_transparency_commands(cli, commands);
    add_account_commands(cli, commands);
    add_sign_commands(cli, commands);
    add_verify_commands(cli, commands);
    add_backup_commands(cli, commands);
    add_admin_commands(cli, commands);

    try {
        cli.parse(argc, argv);
    } catch (const CLI::ParseError& e) {
        return cli.exit(e) == 0 ? 0 : 2;
    }
    const std::string home = resolve_home(home_flag);
    try {
        for (const Command& c : commands)
            if (c.subcommand->parsed()) return c.run(home);
    } catch (const Error& e) {
        std::cerr << "error: " << e.what() << " [" << e.code() << "]\n";
        return 1;
    } catch (const std::exception& e) {
        std::cerr << "error: " << e.what() << "\n";
        return 1;
    }
    return 2;
}

}  // namespace yq::cli
