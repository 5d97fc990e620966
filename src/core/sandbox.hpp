#pragma once
// The confinement an isolated worker enters before it reads a byte of untrusted input (#14 "Parsing untrusted PDFs"):
//  - started as root (the server runs as root): all groups dropped, uid and gid set to `nobody`, irreversibly;
//  - no_new_privs (prctl(2) PR_SET_NO_NEW_PRIVS): nothing it could exec gains privileges;
//  - a seccomp filter (libseccomp, seccomp(2) SECCOMP_SET_MODE_FILTER) allowing only what parsing and answering on
//    the already open socket need: memory, reading and writing open descriptors, opening files read-only (the
//    appearance fonts), time, its own CPU limit. Any other system call — a socket, a connect, a fork or exec, a ptrace,
//    opening a file for writing — kills the process (SECCOMP_RET_KILL_PROCESS, the parent sees SIGSYS).
// Error style: throws yq::Error 503 "isolation.sandbox_failed" when any step fails; the worker then exits without
// serving (fail closed).
namespace yq::core {

void enter_sandbox();

}  // namespace yq::core
