#pragma once
// E-mail notices (#16 "Notices"): what a change tells the people it concerns. A notice is queued with the audit event of
// the change it reports, in the same transaction (Event::notices), so a committed change always has its notice and a
// rolled-back one never does; notices/ sends the queue over SMTP and retries until the mail server takes it.
#include <cstdint>
#include <string>
#include <vector>

namespace yq::audit {

// Who a notice goes to, looked up when it is sent (the address on file then, never copied into the queue).
inline std::string account_audience(const std::string& account_id) { return "account:" + account_id; }
inline std::string agency_audience(const std::string& agency_id) { return "agency:" + agency_id; }  // its contact person
inline std::string application_audience(const std::string& id) { return "application:" + id; }      // the applicant
// the contact person of the agency the account belongs to (for components that know the account, not the agency)
inline std::string account_agency_audience(const std::string& account_id) { return "agency-of-account:" + account_id; }

struct Notice {
    std::string kind;      // what happened: "application.approved", "account.locked", "signing", … (src/notices/messages.json)
    std::string audience;  // see the helpers above
    std::string params;    // JSON object: the facts the message names (no secrets, no ID numbers)
    std::string group_key;   // notices with one key leave as one mail (a signer's daily digest); "" = a mail of its own
    std::string dedupe_key;  // queued at most once per key (an expiry warning per certificate and threshold); "" = none
    std::int64_t not_before = 0;  // unix seconds; 0 = as soon as the change commits
};

// The same notice for each audience (the signer and the agency's contact person are told of the same change).
std::vector<Notice> to_each(const std::vector<std::string>& audiences, const std::string& kind, const std::string& params);


}  // namespace yq::audit
