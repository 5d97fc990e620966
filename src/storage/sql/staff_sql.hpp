#pragma once
namespace yq::storage::sql {

inline constexpr const char* kSelectStaff =
    "SELECT username, password_hash, roles, must_change_password FROM staff_users WHERE username = $1";
inline constexpr const char* kInsertStaff =
    "INSERT INTO staff_users (username, password_hash, roles, must_change_password, created_at) VALUES ($1, $2, $3, $4, $5)";
inline constexpr const char* kUpdateStaffPassword =
    "UPDATE staff_users SET password_hash = $2, must_change_password = $3 WHERE username = $1";

}  // namespace yq::storage::sql
