#pragma once
// keystore-internal: the PKCS#11 module, RAII sessions and a session pool (SoftHSMv2 style: the owner of a session
// or object closes it). Not included outside keystore/.
#include <p11-kit/pkcs11.h>

#include <condition_variable>
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
class SessionPool {
public:
    SessionPool(const Module& module, CK_SLOT_ID slot, const core::SecureString& user_pin, int size);
    ~SessionPool();

    class Lease {
    public:
        Lease(SessionPool& pool, Session* session) : m_pool(pool), m_session(session) {}
        ~Lease() { m_pool.release(m_session); }
        Lease(const Lease&) = delete;
        Lease& operator=(const Lease&) = delete;
        CK_SESSION_HANDLE handle() const { return m_session->handle(); }

    private:
        SessionPool& m_pool;
        Session* m_session;
    };

    Lease acquire();  // blocks until a session is free

private:
    void release(Session* s);
    std::vector<std::unique_ptr<Session>> m_all;
    std::vector<Session*> m_free;
    std::mutex m_mutex;
    std::condition_variable m_cv;
};

}  // namespace yq::keystore::detail
