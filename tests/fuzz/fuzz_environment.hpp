#pragma once
// A real CA for fuzz targets, built once per process: a SoftHSM token and a SQLite database in a temp directory.
// The targets then feed inputs to the same code paths the server uses.
#include <memory>

#include "pki/certificate_authority.hpp"
#include "pki/ocsp_responder.hpp"
#include "pki/time_stamp_authority.hpp"
#include "storage/database.hpp"
#include "storage/sql_store.hpp"

namespace yq::fuzz {

struct Environment {
    std::string dir;
    core::Config config;
    core::SystemClock clock;
    std::unique_ptr<storage::Database> db;
    std::unique_ptr<storage::SqlStore> store;
    std::unique_ptr<keystore::Keystore> keys;
    std::unique_ptr<pki::CertificateAuthority> ca;
    std::unique_ptr<pki::OcspResponder> ocsp;
    std::unique_ptr<pki::TimeStampAuthority> tsa;
};

Environment& environment();

}  // namespace yq::fuzz
