// The command line's console helpers (see command.hpp).
#include <termios.h>
#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <iostream>

#include "cli/command.hpp"
#include "core/error.hpp"

namespace yq::cli {

std::string actor() {
    const char* user = std::getenv("SUDO_USER");
    if (!user) user = std::getenv("USER");
    return std::string("cli:") + (user ? user : "unknown");
}

core::SecureString read_secret_line(const char* what) {
    bool tty = isatty(STDIN_FILENO);
    termios old{};
    if (tty) {
        std::cerr << what << ": " << std::flush;
        tcgetattr(STDIN_FILENO, &old);
        termios quiet = old;
        quiet.c_lflag &= ~static_cast<tcflag_t>(ECHO);
        tcsetattr(STDIN_FILENO, TCSANOW, &quiet);
    }
    core::SecureString line;
    int ch;
    while ((ch = std::getchar()) != EOF && ch != '\n') line.push_back(static_cast<char>(ch));
    if (tty) {
        tcsetattr(STDIN_FILENO, TCSANOW, &old);
        std::cerr << "\n";
    }
    if (!line.empty() && line.back() == '\r') line.pop_back();
    if (line.empty()) throw_bad_input("cli.missing_secret", std::string("no ") + what + " on standard input");
    return line;
}

void write_whole_file(const std::string& path, const std::string& content) {
    std::string tmp = path + ".partial";
    {
        std::ofstream out(tmp, std::ios::binary | std::ios::trunc);
        out.write(content.data(), static_cast<std::streamsize>(content.size()));
        if (!out.flush()) {
            std::remove(tmp.c_str());
            throw_bad_input("cli.file_unwritable", "cannot write " + path);
        }
    }
    if (std::rename(tmp.c_str(), path.c_str()) != 0) throw_bad_input("cli.file_unwritable", "cannot write " + path);
}

void print_staff_secrets(const std::string& username, const ra::NewStaffSecrets& s) {
    std::cout << "one-time password for " << username << " (shown only now; change it at first sign-in):\n  "
              << std::string(s.one_time_password.begin(), s.one_time_password.end())
              << "\nat the first sign-in " << username
              << " enrols their own authenticator app (nobody else sees its secret); later sign-ins need its codes\n";
}

}  // namespace yq::cli
