#pragma once
// The body of an isolated worker executable (apps/yunqian_pdf_worker.cpp): started by core::IsolatedWorker with its
// socket on descriptor 3, /dev/null on 0–2, nothing else open, an empty environment and "/" as working directory.
// It caps its memory, enters the sandbox (core/sandbox.hpp) and then serves jobs by name until the server closes
// the socket (core/worker_protocol.hpp). Run by hand (no socket on 3) it explains itself and exits 2.
#include <functional>
#include <string>
#include <string_view>

namespace yq::core {

// A job: its name and input in, its result out; a yq::Error goes back to the server as thrown.
using WorkerJobs = std::function<std::string(std::string_view job, const std::string& input)>;

// Arguments: --memory-mb N (address space on top of what the worker has at start), --cpu-seconds N (per job).
int serve_worker(int argc, char** argv, const WorkerJobs& jobs);

}  // namespace yq::core
