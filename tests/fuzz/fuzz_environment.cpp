#include "fuzz/fuzz_environment.hpp"

#include <stdlib.h>

#include <filesystem>
#include <fstream>

#include "storage/migrations.hpp"

namespace yq::fuzz {

Environment& environment() {
    static Environment* env = [] {
        auto* e = new Environment();
        char tmpl[] = "/tmp/yq-fuzz-XXXXXX";
        e->dir = mkdtemp(tmpl);
        std::string conf = e->dir + "/softhsm2.conf";
        std::filesystem::create_directories(e->dir + "/tokens");
        std::ofstream(conf) << "directories.tokendir = " << e->dir << "/tokens\nobjectstore.backend = file\nlog.level = ERROR\n";
        setenv("SOFTHSM2_CONF", conf.c_str(), 1);
        core::SecureString pin = core::to_secure("fuzz-user-pin");
        keystore::initialise_token("/usr/lib/softhsm/libsofthsm2.so", "fuzz", core::to_secure("fuzz-so-pin"), pin);
        e->config = core::parse_config(e->dir, "");
        e->db = storage::Database::open("sqlite:" + e->dir + "/db.sqlite3", 10000, 4);
        storage::migrate(*e->db);
        e->store = std::make_unique<storage::SqlStore>(*e->db);
        e->keys = std::make_unique<keystore::Keystore>(keystore::HsmSettings{
            "/usr/lib/softhsm/libsofthsm2.so", "fuzz", pin, "/usr/lib/x86_64-linux-gnu/engines-3/pkcs11.so", 2});
        e->ca = std::make_unique<pki::CertificateAuthority>(e->config, *e->keys, *e->store, e->clock);
        e->ca->initialise_hierarchy("fuzz");
        e->ocsp = std::make_unique<pki::OcspResponder>(*e->ca);
        e->tsa = std::make_unique<pki::TimeStampAuthority>(*e->ca);
        return e;
    }();
    return *env;
}

}  // namespace yq::fuzz
