// The isolated PDF parser: started by the server for every untrusted PDF it must read (core/isolated_worker.hpp);
// it confines itself before the first byte of input (core/sandbox.hpp) and serves the jobs of pades/pdf_jobs.hpp.
#include "core/worker_main.hpp"
#include "pades/pdf_jobs.hpp"

int main(int argc, char** argv) { return yq::core::serve_worker(argc, argv, yq::pades::run_pdf_job); }
