// `yunqian account create | unlock | rekey`: signer accounts made and mended by the operator at the console.
#include <fcntl.h>
#include <unistd.h>

#include <iostream>
#include <memory>

#include "accounts/totp.hpp"
#include "cli/app.hpp"
#include "cli/command.hpp"
#include "core/error.hpp"

namespace yq::cli {

namespace {

struct CreateArgs {
    std::string username, name, agency, email, department, title, key, qr_svg;
};

// The enrolment QR code, readable by its owner only (it holds the TOTP secret).
void write_qr(const std::string& path, const std::string& otpauth_uri) {
    int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0600);
    std::string svg = accounts::otpauth_qr_svg(otpauth_uri);
    bool ok = fd >= 0 && ::write(fd, svg.data(), svg.size()) == static_cast<ssize_t>(svg.size());
    if (fd >= 0) ::close(fd);
    if (!ok) throw_bad_input("cli.file_unwritable", "cannot write " + path);
    std::cout << "enrolment QR code written to " << path << "\n";
}

int create(const std::string& home, const CreateArgs& a) {
    auto app = App::open(home);
    accounts::NewAccountRequest r;
    r.username = a.username;
    r.display_name = a.name;
    r.agency = a.agency;
    r.email = a.email;
    r.department = a.department;
    r.title = a.title;
    r.key_type = keystore::parse_key_type(a.key.empty() ? app->config.accounts.default_key : a.key);
    r.login_password = read_secret_line("login password");
    r.signing_password = read_secret_line("signing password");
    accounts::AccountService::ensure_hsm_keys(*app->keys);
    auto created = app->accounts->create(r, actor());
    std::cout << "created account " << created.account.username << " (" << created.account.id << ")\n"
              << "credential " << created.credential.id << ", certificate " << created.credential.certificate_serial
              << "\nenrol this in the user's authenticator app (shown once):\n  " << created.otpauth_uri << "\n";
    if (!a.qr_svg.empty()) write_qr(a.qr_svg, created.otpauth_uri);
    return 0;
}

int unlock(const std::string& home, const std::string& username) {
    App::open(home)->accounts->unlock(username, actor());
    std::cout << "unlocked " << username << "\n";
    return 0;
}

int rekey(const std::string& home, const std::string& username) {
    auto app = App::open(home);
    auto c = app->accounts->rekey(username, read_secret_line("new signing password"), actor());
    std::cout << "re-keyed " << username << ": credential " << c.id << ", certificate " << c.certificate_serial << "\n";
    return 0;
}

}  // namespace

void add_account_commands(CLI::App& cli, Commands& commands) {
    auto* account = cli.add_subcommand("account", "signer accounts (operator tools until the RA flow lands)");
    account->require_subcommand(1);

    auto a = std::make_shared<CreateArgs>();
    auto* create_cmd = account->add_subcommand(
        "create", "create an account with a key and certificate; reads the login password, then the signing password, "
                  "one per line on standard input");
    create_cmd->add_option("--username", a->username, "immutable username")->required();
    create_cmd->add_option("--name", a->name, "name as on the ID, e.g. '陳大文 Chan Tai Man'")->required();
    create_cmd->add_option("--agency", a->agency, "agency (certificate O)")->required();
    create_cmd->add_option("--email", a->email, "verified e-mail (certificate emailAddress and SAN)");
    create_cmd->add_option("--department", a->department, "department (certificate OU)");
    create_cmd->add_option("--title", a->title, "post (certificate title)");
    create_cmd->add_option("--key", a->key, "ec-p256 | ec-p384 | rsa-2048 | rsa-3072 (default: accounts.default_key)");
    create_cmd->add_option("--qr-svg", a->qr_svg, "also write the enrolment QR code (SVG) to this file, mode 0600");
    commands.push_back({create_cmd, [a](const std::string& home) { return create(home, *a); }});

    auto username = std::make_shared<std::string>();
    auto* unlock_cmd = account->add_subcommand("unlock", "unlock a locked account (after the in-person appointment)");
    unlock_cmd->add_option("--username", *username, "username")->required();
    commands.push_back({unlock_cmd, [username](const std::string& home) { return unlock(home, *username); }});
    auto* rekey_cmd = account->add_subcommand(
        "rekey", "forgotten signing password: new key and certificate, old certificate revoked as superseded; reads the "
                 "new signing password from standard input");
    rekey_cmd->add_option("--username", *username, "username")->required();
    commands.push_back({rekey_cmd, [username](const std::string& home) { return rekey(home, *username); }});
}

}  // namespace yq::cli
