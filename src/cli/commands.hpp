#pragma once
// The `yunqian` command line. Only cli/ and web/ turn yq::Error into something a person sees (here: a message on
// stderr and an exit code).
namespace yq::cli {

// Exit codes: 0 ok, 1 the operation failed (message says why), 2 usage error, 3 verification found a problem.
int run(int argc, char** argv);

}  // namespace yq::cli
