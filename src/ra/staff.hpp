#pragma once
// Registration-office staff accounts. Today: the first administrator created by `yunqian init`, with a one-time
// password that must be changed at first sign-in. Roles and officer workflows come with the RA issue.
#include <optional>
#include <string>

#include "audit/event.hpp"
#include "core/clock.hpp"
#include "core/config.hpp"
#include "core/secure_buffer.hpp"

namespace yq::ra {

struct StaffUser {
    std::string username;
    std::string password_hash;  // Argon2id PHC string
    std::string roles;          // comma-separated: admin, officer, approver, auditor
    bool must_change_password = true;
};

class StaffStore {
public:
    virtual ~StaffStore() = default;
    virtual std::optional<StaffUser> find_staff(const std::string& username) = 0;
    virtual void create_staff(const StaffUser& user, const audit::Event& e) = 0;
    virtual void set_staff_password(const std::string& username, const std::string& password_hash, bool must_change,
                                    const audit::Event& e) = 0;
};

inline constexpr const char* kInitialAdmin = "admin";

// Creates "admin" with a fresh one-time password if it does not exist; returns the password (shown once), or nothing
// when the admin already exists.
std::optional<core::SecureString> create_initial_admin(StaffStore& store, const core::KdfConfig& kdf,
                                                       const core::Clock& clock, const std::string& actor);
// Operator recovery: a new one-time password for an existing staff user (audited).
core::SecureString reset_staff_password(StaffStore& store, const std::string& username, const core::KdfConfig& kdf,
                                        const core::Clock& clock, const std::string& actor);

}  // namespace yq::ra
