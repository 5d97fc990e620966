#include "cli/app.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>

#include "audit/head_signer.hpp"
#include "core/error.hpp"
#include "core/kdf_slots.hpp"
#include "pki/openssl_ptr.hpp"
#include "ra/registration_office.hpp"
#include "ra/staff.hpp"
#include "storage/migrations.hpp"

namespace yq::cli {

namespace fs = std::filesystem;

std::string resolve_home(const std::string& flag) {
    if (!flag.empty()) return fs::absolute(flag).lexically_normal().string();
    if (const char* env = std::getenv("YQ_HOME"); env && *env) return fs::absolute(env).lexically_normal().string();
    return fs::absolute("var").lexically_normal().string();
}

void export_hsm_environment(const core::Config& config) {
    if (!config.hsm.softhsm2_conf.empty()) setenv("SOFTHSM2_CONF", config.resolve(config.hsm.softhsm2_conf).c_str(), 1);
}

core::SecureString read_pin(const core::Config& config, const std::string& field) {
    std::string path = config.resolve(config.hsm.pin_file);
    std::ifstream in(path);
    if (!in) throw Error("hsm.pin_file_missing", 503, "cannot read the HSM PIN file " + path + "; run `yunqian init`");
    std::stringstream ss;
    ss << in.rdbuf();
    std::string text = ss.str();
    nlohmann::json j = nlohmann::json::parse(text, nullptr, false);
    core::secure_wipe(text.data(), text.size());
    if (!j.is_object() || !j.contains(field) || !j[field].is_string())
        throw Error("hsm.pin_file_invalid", 503, "the HSM PIN file " + path + " has no '" + field + "'");
    std::string& pin = j[field].get_ref<std::string&>();
    core::SecureString out = core::to_secure(pin);
    core::secure_wipe(pin.data(), pin.size());
    return out;
}

std::unique_ptr<App> App::open(const std::string& home) { return open(core::load_config(home)); }

std::unique_ptr<App> App::open(core::Config config) {
    auto app = std::make_unique<App>();
    app->config = std::move(config);
    const core::Config& c = app->config;
    app->db = storage::Database::open(c.database_url(), c.database.busy_timeout_ms, 16);
    storage::migrate(*app->db);
    app->store = std::make_unique<storage::SqlStore>(*app->db);
    export_hsm_environment(c);
    keystore::HsmSettings hsm{c.hsm.module, c.hsm.token_label, read_pin(c, "user_pin"),
                              c.hsm.session_pool_size};
    app->keys = std::make_unique<keystore::Keystore>(hsm);
    app->ca = std::make_unique<pki::CertificateAuthority>(app->config, *app->keys, *app->store, app->clock);
    core::KdfSlots::instance().set_limit(c.kdf.max_concurrent);
    app->custody = std::make_unique<custody::KeyCustody>(*app->keys, custody::KdfParams::from(c.kdf),
                                                          static_cast<std::size_t>(std::max(0, c.csc.kept_sad_keys)));
    app->accounts = std::make_unique<accounts::AccountService>(app->config, *app->store, *app->custody, *app->ca,
                                                               *app->keys, app->clock);
    app->staff = std::make_unique<ra::StaffDirectory>(app->config, *app->store, *app->keys, app->clock);
    app->log_store = std::make_unique<storage::TransparencyLogStore>(*app->db);
    app->log = std::make_unique<transparency::SigningLog>(*app->log_store, *app->store, *app->keys, app->clock);
    return app;
}

void write_private_file(const fs::path& path, const std::string& content) {
    int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_EXCL, 0600);
    if (fd < 0) throw Error("init.write_failed", 500, "cannot create " + path.string());
    ssize_t n = ::write(fd, content.data(), content.size());
    ::close(fd);
    if (n != static_cast<ssize_t>(content.size())) throw Error("init.write_failed", 500, "cannot write " + path.string());
}

namespace {

std::string default_config(const std::string& host, int port) {
    std::string base = "http://" + host + ":" + std::to_string(port);
    return R"({
  // yunqian configuration. Every field has a safe default; see docs/configuration.md for all of them.
  "server": { "listener": { "host": ")" + host + R"(", "port": )" + std::to_string(port) + R"( } },
  "database": { "url": "sqlite:db/yunqian.sqlite3" },
  "hsm": {
    "module": "/usr/lib/softhsm/libsofthsm2.so",
    "softhsm2_conf": "hsm/softhsm2.conf",
    "token_label": "yunqian",
    "pin_file": "hsm/pins.json"
  },
  // the address relying parties use: goes into CRL distribution points and AIA of every certificate
  "ca": { "base_url": ")" + base + R"(" }
}
)";
}

}  // namespace

std::string read_whole_file(const std::filesystem::path& path) {
    std::ifstream in(path, std::ios::binary);
    if (!in) throw_bad_input("cli.file_unreadable", "cannot read " + path.string());
    return std::string((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
}

core::Bytes certificate_from_file(const std::string& path) {
    std::string text = read_whole_file(path);
    auto pem = pki::certificates_from_pem(text);
    if (!pem.empty()) return pem.front();
    return core::Bytes(text.begin(), text.end());  // DER as the repository serves it
}

std::pair<std::string, int> parse_listen(const std::string& listen) {
    auto colon = listen.rfind(':');
    if (colon == std::string::npos || colon == 0) throw_bad_input("cli.bad_listen", "--listen must be HOST:PORT");
    try {
        std::size_t used = 0;
        int port = std::stoi(listen.substr(colon + 1), &used);
        if (used != listen.size() - colon - 1 || port < 0 || port > 65535) throw std::out_of_range("port");
        return {listen.substr(0, colon), port};
    } catch (const std::exception&) {
        throw_bad_input("cli.bad_listen", "--listen must be HOST:PORT with a port 0–65535");
    }
}

void write_softhsm_conf(const fs::path& conf) {
    std::ofstream out(conf, std::ios::trunc);
    out << "directories.tokendir = " << (conf.parent_path() / "tokens").string()
        << "\nobjectstore.backend = file\nlog.level = ERROR\nslots.removable = false\n";
    if (!out.flush()) throw Error("init.write_failed", 500, "cannot write " + conf.string());
}

std::optional<ra::NewStaffSecrets> initialise_home(const std::string& home, const std::string& listen) {
    fs::create_directories(home);
    fs::permissions(home, fs::perms::owner_all, fs::perm_options::replace);
    fs::path config_file = fs::path(home) / "yunqian.json";
    if (!fs::exists(config_file)) {
        auto [host, port] = listen.empty() ? std::pair<std::string, int>{"127.0.0.1", 8080} : parse_listen(listen);
        std::ofstream out(config_file);
        out << default_config(host, port == 0 ? 8080 : port);
    }
    core::Config config = core::load_config(home);

    // SoftHSM token store under the home, unless the operator points at another module/config.
    if (!config.hsm.softhsm2_conf.empty()) {
        fs::path conf = config.resolve(config.hsm.softhsm2_conf);
        fs::create_directories(conf.parent_path() / "tokens");
        if (!fs::exists(conf)) write_softhsm_conf(conf);
    }
    fs::path pin_file = config.resolve(config.hsm.pin_file);
    if (!fs::exists(pin_file)) {
        fs::create_directories(pin_file.parent_path());
        core::SecureString so = core::to_secure(core::random_token(24)), user = core::to_secure(core::random_token(24));
        nlohmann::json j{{"so_pin", std::string(so.begin(), so.end())}, {"user_pin", std::string(user.begin(), user.end())}};
        std::string text = j.dump(2);
        write_private_file(pin_file, text + "\n");
        core::secure_wipe(text.data(), text.size());
        export_hsm_environment(config);
        keystore::initialise_token(config.hsm.module, config.hsm.token_label, so, user);
    }
    if (auto file = config.sqlite_file()) fs::create_directories(fs::path(*file).parent_path());

    auto app = App::open(config);
    app->ca->initialise_hierarchy("cli:init");
    accounts::AccountService::ensure_hsm_keys(*app->keys);
    ra::RegistrationOffice::ensure_hsm_keys(*app->keys);
    auto admin = app->staff->create_initial_admin("cli:init");
    audit::sign_head(*app->store, *app->keys, pki::kAuditKeyLabel, app->clock);  // init's events are signed at once
    return admin;
}

std::vector<core::Bytes> validation_anchors(App* app, const std::vector<std::string>& extra_pem_files) {
    std::vector<core::Bytes> anchors;
    std::vector<std::string> files = extra_pem_files;
    if (app) {
        if (auto root = app->store->ca_material("root")) anchors.push_back(root->certificate_der);
        // Our issuing CA's certificate comes from our own records, put there by the root at the key ceremony: as an
        // anchor of its own (partial chains, validation/checks) it spares a P-384 verification of the root's signature
        // for every chain, OCSP response and time-stamp checked, without trusting more than the root vouches for.
        if (auto issuing = app->store->ca_material("issuing")) anchors.push_back(issuing->certificate_der);
        files.insert(files.end(), app->config.validation.trust_files.begin(), app->config.validation.trust_files.end());
    }
    for (const auto& path : files)
        for (auto& der : pki::certificates_from_pem(read_whole_file(path))) anchors.push_back(std::move(der));
    return anchors;
}

validation::RevocationSource ca_revocation_source(App& app) {
    return [&app](const std::string& serial, const core::Bytes& certificate_der) {
        validation::RevocationStatus r;
        auto record = app.store->find_certificate(serial);  // both sides use pki::serial_hex
        // only for the very certificate we issued: another CA may use the same serial
        if (!record || record->der != certificate_der) return r;
        r.source = "yunqian CA records";
        r.status = record->status == "revoked" ? "revoked" : "good";
        r.revoked_at = record->revoked_at.value_or(0);
        return r;
    };
}

}  // namespace yq::cli
