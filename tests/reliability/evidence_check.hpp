#pragma once
// #17: what must hold in a database after any crash — every state change has its audit event and every audit event
// its state change, no certificate without its row, no SAD spent past its grant, the transparency log as long as
// the signatures it records. Read straight from the tables (as an auditor with a database login would), not through
// the repositories under test.
#include <map>
#include <string>
#include <vector>

#include "storage/database.hpp"

namespace yq::test::reliability {

// What was found: one line per broken rule, naming the row or event.
struct Evidence {
    std::vector<std::string> problems;
    // "before" events whose "after" event never came: the crash fell between them (the HSM may or may not have
    // acted). Not problems; the campaign reports them to show where the kills landed.
    int certificate_signings_unfinished = 0;  // ca.certificate.signing without ca.certificate.issued
    int sad_consumptions_unfinished = 0;      // csc.sad.consumed without csc.signatures.created/failed
    int crl_signings_unfinished = 0;          // ca.crl.signing without ca.crl.published/signing_failed
    // signatures the log records, per SAD id (from csc.signatures.created)
    std::map<std::string, int> created_per_sad;
    // the SAD id each signed hash (lower-case hex, as the events write it) was consumed under
    std::map<std::string, std::string> sad_of_hash;
};

Evidence check_evidence(storage::Database& db);

}  // namespace yq::test::reliability
