#pragma once
// `yunqian transparency verify | sign-head | proof` (#18): the signing transparency log checked from the command line.
#include <cstdint>
#include <string>

#include "cli/app.hpp"

namespace yq::cli {

// Checks one inclusion proof offline (no home, no database): the leaf, its path to the signed root, the head's
// signature and the log certificate's chain to `root_file`. Prints what the leaf records and the verdict; returns 0
// (proved) or 3 (not).
int transparency_verify_proof(const std::string& proof_file, const std::string& root_file);

// Checks the stored log of a home: every leaf and node recomputed, every signed head's root and HSM signature (the
// log key chained to the anchored root, as `audit verify` anchors its key). Returns 0 (intact) or 3 (names the first
// altered leaf, node or head).
int transparency_verify_log(App& app, const std::string& root_file);

// Writes leaf `index`'s inclusion proof (signing a head first if none covers it) as a proof file; returns 0.
int transparency_write_proof(App& app, std::int64_t index, const std::string& out);

}  // namespace yq::cli
