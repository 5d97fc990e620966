#pragma once
// keystore-internal: the PKCS#11 module, RAII sessions and a session pool (SoftHSMv2 style: the owner of a session
// or object closes it). Not included outside keystore/.
#include <p11-kit/pkcs11.h>

#include <condition_variable>
#include <cstdint>
#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "core/secure_buffer.hpp"

namespace yq::keystore::detail {

// dlopen()s a PKCS#11 library and initialises it for multi-threaded use (CKF_OS_LOCKING_OK).
class Module {
public:
    explicit Module(const std::string& path);
    ~Module();
    Module(const Module&) = delete;
    Module& operator=(const Module&) = delete;

    CK_FUNCTION_LIST* f() const { return m_functions; }
    // The slot holding an initialised token with this label; throws "hsm.token_not_found".
    CK_SLOT_ID find_token_slot(const std::string& label) const;
    // A slot with no initialised token yet (SoftHSM keeps one free); throws "hsm.no_free_slot".
    CK_SLOT_ID find_free_slot() const;

private:
    void* m_library = nullptr;
    CK_FUNCTION_LIST* m_functions = nullptr;
};

class Session {
public:
    Session(const Module& module, CK_SLOT_ID slot, bool read_write);
    ~Session();
    Session(const Session&) = delete;
    Session& operator=(const Session&) = delete;
    CK_SESSION_HANDLE handle() const { return m_handle; }
    // The HSM closed this session already: its handle is void and may be given to a new session, so it must never be
    // closed again.
    void forget() { m_handle = CK_INVALID_HANDLE; }

private:
    const Module& m_module;
    CK_SESSION_HANDLE m_handle = CK_INVALID_HANDLE;
};

// Session objects (unwrapped user keys) are destroyed when this goes out of scope.
class ObjectGuard {
public:
    ObjectGuard(const Module& module, CK_SESSION_HANDLE session, CK_OBJECT_HANDLE object)
        : m_module(module), m_session(session), m_object(object) {}
    ~ObjectGuard();
    ObjectGuard(const ObjectGuard&) = delete;
    ObjectGuard& operator=(const ObjectGuard&) = delete;
    CK_OBJECT_HANDLE get() const { return m_object; }

private:
    const Module& m_module;
    CK_SESSION_HANDLE m_session;
    CK_OBJECT_HANDLE m_object;
};

// A fixed set of read-write sessions on one slot; the user is logged in once (PKCS#11 login state is per application).
// When the HSM closes the sessions under us (a network HSM that reconnected, a token reset, C_CloseAllSessions), an
// operation that sees it releases its lease and calls recover(): the pool waits for the other leases, closes what is
// left of this application's sessions on the slot, opens a fresh set, logs in again, and the operation retries once.
// One Keystore per token per process: recovery closes every session this process has on the slot.
class SessionPool {
public:
    // `on_reopened` runs under the pool's lock each time a new set of sessions is logged in after a loss, before any of
    // them is leased: the owner drops what it cached about the old set (object handles, kept session keys).
    SessionPool(const Module& module, CK_SLOT_ID slot, const core::SecureString& user_pin, int size,
                std::function<void()> on_reopened);
    ~SessionPool();

    class Lease {
    public:
        Lease(SessionPool& pool, Session* session, std::uint64_t generation)
            : m_pool(pool), m_session(session), m_generation(generation) {}
        ~Lease() { m_pool.release(m_session); }
        Lease(const Lease&) = delete;
        Lease& operator=(const Lease&) = delete;
        CK_SESSION_HANDLE handle() const { return m_session->handle(); }
        // Which set of sessions this one belongs to (recover() starts a new one).
        std::uint64_t generation() const { return m_generation; }

    private:
        SessionPool& m_pool;
        Session* m_session;
        std::uint64_t m_generation;
    };

    // Blocks until a session is free (and while a recovery runs). If the last recovery could not reopen the sessions
    // (the HSM was away), tries again and throws the HSM's error when it is still away.
    Lease acquire();

    // For a caller whose lease of `generation` failed with a lost session and has been released. Reopens once per
    // loss: a caller from an older generation finds the work done and returns at once. Throws when the HSM cannot be
    // reached; the pool then tries again on the next acquire().
    void recover(std::uint64_t generation);

    std::uint64_t reopened_count() const;

private:
    void release(Session* s);
    void open_and_login();  // m_mutex held, m_all empty
    void reopen();          // m_mutex held, m_all empty: a new set in place, its generation counted, the owner told
    const Module& m_module;
    CK_SLOT_ID m_slot;
    core::SecureString m_user_pin;
    int m_size;
    std::function<void()> m_on_reopened;
    std::vector<std::unique_ptr<Session>> m_all;
    std::vector<Session*> m_free;
    std::size_t m_leased = 0;
    std::uint64_t m_generation = 0;
    bool m_recovering = false;
    mutable std::mutex m_mutex;
    std::condition_variable m_cv;
};

}  // namespace yq::keystore::detail
