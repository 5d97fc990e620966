#include "keystore/session.hpp"

#include <dlfcn.h>

#include <cstring>

#include "core/error.hpp"
#include "keystore/hsm_error.hpp"

namespace yq::keystore::detail {

Module::Module(const std::string& path) {
    m_library = dlopen(path.c_str(), RTLD_NOW | RTLD_LOCAL);
    if (m_library == nullptr)
        throw Error("hsm.module_load_failed", 503, "cannot load the PKCS#11 module " + path + ": check hsm.module");
    auto get_list = reinterpret_cast<CK_C_GetFunctionList>(dlsym(m_library, "C_GetFunctionList"));
    if (get_list == nullptr || get_list(&m_functions) != CKR_OK) {
        dlclose(m_library);
        throw Error("hsm.module_load_failed", 503, path + " is not a PKCS#11 module");
    }
    CK_C_INITIALIZE_ARGS args{};
    args.flags = CKF_OS_LOCKING_OK;
    CK_RV rv = m_functions->C_Initialize(&args);
    if (rv != CKR_OK && rv != CKR_CRYPTOKI_ALREADY_INITIALIZED) {
        dlclose(m_library);
        throw_ckr(rv, "C_Initialize");
    }
}

Module::~Module() {
    // No C_Finalize: PKCS#11 initialisation is per process, and another Keystore of this process (a re-opened
    // installation, tests) may share the module; finalizing here would close its sessions. Sessions we opened are
    // closed by their owners; the process exit finalizes the library. The library stays mapped for the same reason.
}

namespace {
std::vector<CK_SLOT_ID> slots(CK_FUNCTION_LIST* f) {
    CK_ULONG n = 0;
    check_ckr(f->C_GetSlotList(CK_TRUE, nullptr, &n), "C_GetSlotList");
    std::vector<CK_SLOT_ID> ids(n);
    check_ckr(f->C_GetSlotList(CK_TRUE, ids.data(), &n), "C_GetSlotList");
    ids.resize(n);
    return ids;
}
std::string trim_label(const unsigned char* label, std::size_t n) {
    std::string s(reinterpret_cast<const char*>(label), n);
    while (!s.empty() && (s.back() == ' ' || s.back() == '\0')) s.pop_back();
    return s;
}
}  // namespace

CK_SLOT_ID Module::find_token_slot(const std::string& label) const {
    for (CK_SLOT_ID id : slots(m_functions)) {
        CK_TOKEN_INFO info{};
        if (m_functions->C_GetTokenInfo(id, &info) != CKR_OK) continue;
        if ((info.flags & CKF_TOKEN_INITIALIZED) && trim_label(info.label, sizeof info.label) == label) return id;
    }
    throw Error("hsm.token_not_found", 503, "no initialised HSM token labelled '" + label + "'; run `yunqian init`");
}

CK_SLOT_ID Module::find_free_slot() const {
    for (CK_SLOT_ID id : slots(m_functions)) {
        CK_TOKEN_INFO info{};
        if (m_functions->C_GetTokenInfo(id, &info) != CKR_OK) continue;
        if (!(info.flags & CKF_TOKEN_INITIALIZED)) return id;
    }
    throw Error("hsm.no_free_slot", 503, "the HSM has no free slot for a new token");
}

Session::Session(const Module& module, CK_SLOT_ID slot, bool read_write) : m_module(module) {
    CK_FLAGS flags = CKF_SERIAL_SESSION | (read_write ? CKF_RW_SESSION : 0);
    check_ckr(m_module.f()->C_OpenSession(slot, flags, nullptr, nullptr, &m_handle), "C_OpenSession");
}

Session::~Session() {
    if (m_handle != CK_INVALID_HANDLE) m_module.f()->C_CloseSession(m_handle);
}

ObjectGuard::~ObjectGuard() {
    if (m_object != CK_INVALID_HANDLE) m_module.f()->C_DestroyObject(m_session, m_object);
}

SessionPool::SessionPool(const Module& module, CK_SLOT_ID slot, const core::SecureString& user_pin, int size,
                         std::function<void()> on_reopened)
    : m_module(module), m_slot(slot), m_user_pin(user_pin), m_size(size), m_on_reopened(std::move(on_reopened)) {
    std::lock_guard lock(m_mutex);
    open_and_login();
}

SessionPool::~SessionPool() = default;  // closing the last session logs the application out

void SessionPool::open_and_login() {
    std::vector<std::unique_ptr<Session>> fresh;
    for (int i = 0; i < m_size; ++i) fresh.push_back(std::make_unique<Session>(m_module, m_slot, true));
    core::SecureString pin = m_user_pin;
    CK_RV rv = m_module.f()->C_Login(fresh.front()->handle(), CKU_USER, reinterpret_cast<CK_UTF8CHAR*>(pin.data()),
                                     pin.size());
    if (rv != CKR_OK && rv != CKR_USER_ALREADY_LOGGED_IN) throw_ckr(rv, "C_Login", Operation::Login);
    m_all = std::move(fresh);
    m_free.clear();
    for (auto& s : m_all) m_free.push_back(s.get());
}

void SessionPool::reopen() {
    open_and_login();
    ++m_generation;
    if (m_on_reopened) m_on_reopened();
}

SessionPool::Lease SessionPool::acquire() {
    std::unique_lock lock(m_mutex);
    m_cv.wait(lock, [this] { return !m_recovering && (!m_free.empty() || m_all.empty()); });
    if (m_all.empty()) reopen();  // the last recovery found the HSM away: try again now
    Session* s = m_free.back();
    m_free.pop_back();
    ++m_leased;
    return Lease(*this, s, m_generation);
}

void SessionPool::release(Session* s) {
    {
        std::lock_guard lock(m_mutex);
        --m_leased;
        m_free.push_back(s);  // recover() replaces a set only once every lease of it came back
    }
    m_cv.notify_all();
}

void SessionPool::recover(std::uint64_t generation) {
    std::unique_lock lock(m_mutex);
    if (generation != m_generation) return;  // another caller reopened already
    if (m_recovering) {
        m_cv.wait(lock, [&] { return !m_recovering; });
        return;
    }
    m_recovering = true;
    m_cv.wait(lock, [this] { return m_leased == 0; });  // leases still out fail or finish, and come back
    // PKCS#11 v2.40 §5.6 (session management), C_CloseAllSessions: whatever the HSM left open of this application's
    // sessions on the slot goes, and the login state with it. The old handles are void (the HSM hands the numbers out
    // again): forget them.
    m_module.f()->C_CloseAllSessions(m_slot);
    for (auto& s : m_all) s->forget();
    m_all.clear();
    m_free.clear();
    try {
        reopen();
    } catch (...) {
        m_recovering = false;
        lock.unlock();
        m_cv.notify_all();
        throw;
    }
    m_recovering = false;
    lock.unlock();
    m_cv.notify_all();
}

std::uint64_t SessionPool::reopened_count() const {
    std::lock_guard lock(m_mutex);
    return m_generation;
}

}  // namespace yq::keystore::detail
