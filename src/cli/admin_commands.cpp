// `yunqian admin reset-password | create-staff | list-staff | approve-staff` and `yunqian appointments list`: the
// office's sign-ins and its day of appointments from the console.
#include <iostream>
#include <memory>

#include "cli/app.hpp"
#include "cli/command.hpp"
#include "ra/appointments.hpp"
#include "ra/office_calendar.hpp"

namespace yq::cli {

namespace {

struct StaffArgs {
    std::string username = ra::kInitialAdmin;
    std::string roles, representative;
};

int create_staff(const std::string& home, const StaffArgs& a) {
    auto app = App::open(home);
    std::vector<std::string> roles;
    for (const auto& r : ra::parse_roles(a.roles)) roles.emplace_back(ra::role_name(r));
    print_staff_secrets(a.username,
                        app->staff->create(a.username, roles, a.representative, actor(), ra::StaffIssuer::Console));
    return 0;
}

// The operator at the console is the second person (e.g. while the office has one CA administrator).
int approve_staff(const std::string& home, const std::string& username) {
    core::SecureString part = App::open(home)->staff->approve(username, std::nullopt, actor());
    std::cout << "second part of the one-time password for " << username << " (shown only now):\n  "
              << std::string(part.begin(), part.end()) << "\n" << username
              << " types the first part (from the administrator who asked) and then this one, as one password\n";
    return 0;
}

int list_staff(const std::string& home) {
    for (const auto& u : App::open(home)->staff->list())
        std::cout << u.username << "  " << u.roles << "  " << u.status
                  << (u.awaiting_approval() ? "  (awaiting approval; asked by " + u.requested_by + ")" : "")
                  << (u.must_change_password ? "  (one-time password)" : "") << "\n";
    return 0;
}

int list_appointments(const std::string& home, const std::string& date) {
    auto app = App::open(home);
    ra::OfficeCalendar calendar(app->config.office);
    ra::AppointmentBook book(calendar, *app->store, *app->keys, app->clock);
    for (const auto& a : book.on_date(date))
        std::cout << calendar.local_text(a.slot_start) << "  " << a.purpose << "  " << a.status << "  " << a.person_name
                  << "  " << a.contact << "\n";
    return 0;
}

}  // namespace

void add_admin_commands(CLI::App& cli, Commands& commands) {
    auto* admin = cli.add_subcommand("admin", "staff administration");
    admin->require_subcommand(1);
    auto a = std::make_shared<StaffArgs>();
    auto* reset = admin->add_subcommand("reset-password",
                                        "issue a new one-time password and TOTP enrolment for a staff user (clears a lock)");
    reset->add_option("--user", a->username, "staff username");
    commands.push_back({reset, [a](const std::string& home) {
                            print_staff_secrets(a->username, App::open(home)->staff->reset(a->username, actor(),
                                                                                            ra::StaffIssuer::Console));
                            return 0;
                        }});
    auto* create = admin->add_subcommand("create-staff", "create a staff sign-in (one-time password + TOTP enrolment)");
    create->add_option("--user", a->username, "staff username")->required();
    create->add_option("--roles", a->roles, "comma-separated: officer, supervisor, ca_admin, auditor, representative")
        ->required();
    create->add_option("--representative", a->representative, "representative id (for role representative)");
    commands.push_back({create, [a](const std::string& home) { return create_staff(home, *a); }});
    commands.push_back({admin->add_subcommand("list-staff", "list staff sign-ins"), list_staff});
    auto* approve = admin->add_subcommand(
        "approve-staff", "approve a decision role's sign-in an administrator asked for (shows the password's second part)");
    approve->add_option("--user", a->username, "staff username")->required();
    commands.push_back({approve, [a](const std::string& home) { return approve_staff(home, a->username); }});

    auto* appointments = cli.add_subcommand("appointments", "registration-office appointments");
    appointments->require_subcommand(1);
    auto date = std::make_shared<std::string>();
    auto* list = appointments->add_subcommand("list", "appointments of one office day");
    list->add_option("--date", *date, "YYYY-MM-DD (office time)")->required();
    commands.push_back({list, [date](const std::string& home) { return list_appointments(home, *date); }});
}

}  // namespace yq::cli
