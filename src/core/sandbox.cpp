#include "core/sandbox.hpp"

#include <fcntl.h>
#include <grp.h>
#include <pwd.h>
#include <seccomp.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/ioctl.h>
#include <unistd.h>

#include <memory>

#include "core/error.hpp"

#if defined(__SANITIZE_ADDRESS__)
#define YQ_SANITIZER_RUNTIME 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define YQ_SANITIZER_RUNTIME 1
#endif
#endif

namespace yq::core {

namespace {

[[noreturn]] void sandbox_failed(const char* step) {
    throw_unavailable("isolation.sandbox_failed", std::string("the PDF parser could not confine itself (") + step + ")");
}

void drop_root() {
    if (geteuid() != 0 && getuid() != 0) return;  // already unprivileged: nothing to give up
    uid_t uid = 65534;
    gid_t gid = 65534;
    if (const passwd* nobody = getpwnam("nobody")) {
        uid = nobody->pw_uid;
        gid = nobody->pw_gid;
    }
    if (setgroups(0, nullptr) != 0) sandbox_failed("setgroups");
    if (setresgid(gid, gid, gid) != 0) sandbox_failed("setresgid");
    if (setresuid(uid, uid, uid) != 0) sandbox_failed("setresuid");
    if (setuid(0) == 0 || geteuid() == 0) sandbox_failed("root could be regained");
}

struct FilterDeleter {
    void operator()(void* ctx) const { seccomp_release(static_cast<scmp_filter_ctx>(ctx)); }
};

// Allows `name` (unconditionally or under the given argument comparisons). A name this architecture does not have
// (e.g. `open` on arm64) is skipped.
template <typename... Cmp>
void allow(scmp_filter_ctx ctx, const char* name, Cmp... cmp) {
    int nr = seccomp_syscall_resolve_name(name);
    if (nr == __NR_SCMP_ERROR) return;
    if (seccomp_rule_add(ctx, SCMP_ACT_ALLOW, nr, sizeof...(Cmp), cmp...) != 0) sandbox_failed(name);
}

void install_filter() {
    std::unique_ptr<void, FilterDeleter> owner(seccomp_init(SCMP_ACT_KILL_PROCESS));
    auto ctx = static_cast<scmp_filter_ctx>(owner.get());
    if (!ctx) sandbox_failed("seccomp_init");
    // memory
    for (const char* n : {"brk", "mmap", "munmap", "mremap", "mprotect", "madvise"}) allow(ctx, n);
    // the socket to the server and files already open or opened read-only
    for (const char* n : {"read", "readv", "pread64", "write", "writev", "recvfrom", "recvmsg", "sendto", "sendmsg",
                          "close", "lseek", "fstat", "newfstatat", "statx", "fcntl", "poll", "ppoll"})
        allow(ctx, n);
    constexpr scmp_datum_t kWriteFlags = O_ACCMODE | O_CREAT | O_TRUNC | O_APPEND;
    allow(ctx, "openat", SCMP_A2(SCMP_CMP_MASKED_EQ, kWriteFlags, O_RDONLY));
    allow(ctx, "open", SCMP_A1(SCMP_CMP_MASKED_EQ, kWriteFlags, O_RDONLY));
    // threads of the C++ runtime (locks), signals, time, ending
    for (const char* n : {"futex", "rt_sigreturn", "rt_sigprocmask", "rt_sigaction", "sigaltstack", "getpid", "gettid",
                          "clock_gettime", "clock_getres", "gettimeofday", "time", "getrusage", "getrandom",
                          "sched_yield", "exit", "exit_group"})
        allow(ctx, n);
    // abort() and raise() signal the worker itself (tgkill on its own pid), e.g. a library's failed assertion
    allow(ctx, "tgkill", SCMP_A0(SCMP_CMP_EQ, static_cast<scmp_datum_t>(getpid())));
#if defined(YQ_SANITIZER_RUNTIME)
    // the sanitizer runtime checks whether memory is readable by writing it into a pipe (sanitizer_common's
    // IsAccessibleMemoryRange, used while unwinding a thrown exception) and reads /proc/self/exe and its maps to
    // report an error; only in the sanitizer build
    for (const char* n : {"pipe", "pipe2", "readlink", "readlinkat"}) allow(ctx, n);
    allow(ctx, "ioctl", SCMP_A1(SCMP_CMP_EQ, TCGETS));  // isatty(2) before it prints a report
#endif
    // its own CPU budget per job (core/worker_main.cpp), nothing else about limits, no other process
    allow(ctx, "prlimit64", SCMP_A0(SCMP_CMP_EQ, 0), SCMP_A1(SCMP_CMP_EQ, RLIMIT_CPU));
    allow(ctx, "setrlimit", SCMP_A0(SCMP_CMP_EQ, RLIMIT_CPU));
    if (seccomp_load(ctx) != 0) sandbox_failed("seccomp_load");
}

}  // namespace

void enter_sandbox() {
    drop_root();
    if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) != 0) sandbox_failed("no_new_privs");
    install_filter();
}

}  // namespace yq::core
