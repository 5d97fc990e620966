#pragma once
// `yunqian audit verify | export-heads` (#14: evidence that holds against whoever can rewrite the database).
#include <string>

#include "cli/app.hpp"

namespace yq::cli {

struct AuditVerifyArgs {
    std::string root_file;   // the published root certificate (PEM or DER); empty: anchored to the HSM's root key
    std::string heads_file;  // heads exported earlier with export-heads; empty: none
};

// Recomputes the chain, checks every head signature with the audit key whose certificate chains to the anchored root,
// refuses events left unsigned longer than the signing interval allows, and checks that every exported head is still
// in the chain. Prints the verdict; returns 0 (intact) or 3 (broken).
int audit_verify(App& app, const AuditVerifyArgs& args);

// Signs the head if it moved, has the TSA time-stamp the newest head signature, and appends it (one JSON object per
// line) to `out`, which the operator keeps outside the database (another host, write-once media). Returns 0.
int audit_export_heads(App& app, const std::string& out);

}  // namespace yq::cli
