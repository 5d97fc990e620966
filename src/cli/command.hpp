#pragma once
// How the `yunqian` command line is put together: each command group (ca, account, sign, verify, audit, transparency,
// backup, admin) adds its subcommands and options to the parser and one action per subcommand; `run` parses, runs the
// action of the subcommand given, and turns a yq::Error into a message and an exit code. Shared console helpers too.
#include <CLI/CLI.hpp>
#include <functional>
#include <string>
#include <vector>

#include "core/secure_buffer.hpp"
#include "ra/staff.hpp"

namespace yq::cli {

// What runs when `subcommand` was given; `home` is the resolved home directory (not opened: an action that needs the
// home's services opens it). Returns the exit code.
struct Command {
    CLI::App* subcommand;
    std::function<int(const std::string& home)> run;
};
using Commands = std::vector<Command>;

void add_ca_commands(CLI::App& cli, Commands& commands);            // ca issue | revoke | crl | list
void add_account_commands(CLI::App& cli, Commands& commands);       // account create | unlock | rekey
void add_sign_commands(CLI::App& cli, Commands& commands);          // sign pdf | file
void add_verify_commands(CLI::App& cli, Commands& commands);        // verify, report check
void add_audit_commands(CLI::App& cli, Commands& commands);         // audit verify | export-heads | sign-head | search
void add_transparency_commands(CLI::App& cli, Commands& commands);  // transparency verify | sign-head | proof
void add_backup_commands(CLI::App& cli, Commands& commands);        // backup, restore, db copy
void add_admin_commands(CLI::App& cli, Commands& commands);         // admin …, appointments list

// "cli:USER": who acts, in the audit log.
std::string actor();
// One line from standard input, without echo when it is a terminal. Never logged. Throws 400 "cli.missing_secret".
core::SecureString read_secret_line(const char* what);
// Never a half-written output: written beside the target, then renamed. Throws 400 "cli.file_unwritable".
void write_whole_file(const std::string& path, const std::string& content);
// A new staff sign-in's one-time password, shown once.
void print_staff_secrets(const std::string& username, const ra::NewStaffSecrets& secrets);

}  // namespace yq::cli
