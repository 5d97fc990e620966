#include "ra/staff.hpp"

#include "accounts/password_hash.hpp"
#include "core/error.hpp"

namespace yq::ra {

std::optional<core::SecureString> create_initial_admin(StaffStore& store, const core::KdfConfig& kdf,
                                                       const core::Clock& clock, const std::string& actor) {
    if (store.find_staff(kInitialAdmin)) return std::nullopt;
    core::SecureString password = accounts::generate_password();
    StaffUser admin{kInitialAdmin, accounts::hash_password(password, kdf), "admin", true};
    store.create_staff(admin, audit::Event{actor, "staff.created", std::string("staff:") + kInitialAdmin,
                                           audit::details({{"roles", admin.roles}}), clock.unix_seconds()});
    return password;
}

core::SecureString reset_staff_password(StaffStore& store, const std::string& username, const core::KdfConfig& kdf,
                                        const core::Clock& clock, const std::string& actor) {
    if (!store.find_staff(username)) throw_not_found("staff.unknown", "no staff user named '" + username + "'");
    core::SecureString password = accounts::generate_password();
    store.set_staff_password(username, accounts::hash_password(password, kdf), true,
                             audit::Event{actor, "staff.password_reset", "staff:" + username, "{}", clock.unix_seconds()});
    return password;
}

}  // namespace yq::ra
