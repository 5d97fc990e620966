#include "reliability/evidence_check.hpp"

#include <nlohmann/json.hpp>
#include <set>
#include <sstream>

#include "core/bytes.hpp"

namespace yq::test::reliability {

namespace {

struct AuditEvent {
    std::string action, object;
    nlohmann::json details;
};

std::vector<std::string> split_list(const std::string& list) {
    std::vector<std::string> out;
    std::stringstream in(list);
    for (std::string item; std::getline(in, item, ',');)
        if (!item.empty()) out.push_back(item);
    return out;
}

int count_of(const nlohmann::json& details, const char* key) { return std::stoi(details.value(key, "0")); }

// The object an event names after its "kind:" prefix ("certificate:0A1B" → "0A1B").
std::string object_id(const std::string& object) { return object.substr(object.find(':') + 1); }

}  // namespace

Evidence check_evidence(storage::Database& db) {
    Evidence out;
    auto problem = [&](const std::string& p) { out.problems.push_back(p); };
    std::vector<AuditEvent> events;
    std::map<std::string, std::string> certificate_profile, certificate_status;  // serial →
    std::map<std::string, std::string> credential_certificate;                   // credential id → serial
    std::set<std::string> account_ids, account_usernames, leaf_hashes, crl_numbers;
    std::int64_t tree_size = 0, crl_counter = 0;
    std::map<std::string, std::int64_t> sad_remaining;
    struct Application {
        std::string status, account_id;
    };
    std::map<std::string, Application> applications;
    db.with_connection([&](storage::Connection& c) {
        for (const auto& r : c.query("SELECT action, object, details FROM audit_events ORDER BY seq"))
            events.push_back({r.text(0), r.text(1), nlohmann::json::parse(r.text(2))});
        for (const auto& r : c.query("SELECT serial, profile, status FROM certificates")) {
            certificate_profile[r.text(0)] = r.text(1);
            certificate_status[r.text(0)] = r.text(2);
        }
        for (const auto& r : c.query("SELECT id, certificate_serial FROM credentials"))
            credential_certificate[r.text(0)] = r.text(1);
        for (const auto& r : c.query("SELECT id, username FROM accounts")) {
            account_ids.insert(r.text(0));
            account_usernames.insert(r.text(1));
        }
        for (const auto& r : c.query("SELECT leaf_hash FROM transparency_leaves"))
            leaf_hashes.insert(core::hex_encode(r.blob(0)));
        tree_size = c.query_one("SELECT size FROM transparency_tree")->integer(0);
        for (const auto& r : c.query("SELECT number FROM crls")) crl_numbers.insert(std::to_string(r.integer(0)));
        crl_counter = c.query_one("SELECT value FROM counters WHERE name = 'crl_number'")->integer(0);
        for (const auto& r : c.query("SELECT id, remaining FROM sads")) sad_remaining[r.text(0)] = r.integer(1);
        for (const auto& r : c.query("SELECT id, status, data FROM ra_records WHERE kind = 'application'"))
            applications[r.text(0)] = {r.text(1), nlohmann::json::parse(r.text(2)).value("account_id", "")};
    });

    // Certificates: one "ca.certificate.issued" per row and a row per event, each after its "signing" event (the
    // audit before the CA's HSM signature).
    std::set<std::string> signing, issued;
    for (const auto& e : events) {
        if (e.action == "ca.certificate.signing") signing.insert(object_id(e.object));
        if (e.action != "ca.certificate.issued") continue;
        std::string serial = object_id(e.object);
        if (!issued.insert(serial).second) problem("certificate " + serial + " has two issuance events");
        if (!signing.count(serial)) problem("certificate " + serial + " was issued without the event before signing");
        if (!certificate_profile.count(serial)) problem("certificate " + serial + " has an issuance event but no row");
    }
    for (const auto& [serial, profile] : certificate_profile)
        if (!issued.count(serial)) problem("certificate " + serial + " (" + profile + ") has no issuance event");
    for (const auto& s : signing) out.certificate_signings_unfinished += issued.count(s) ? 0 : 1;

    // Signers' keys: a valid signer certificate whose key no credential holds is a certificate for a key nobody can
    // use (it must not stay valid); every credential was made with an event naming it.
    std::set<std::string> held_serials, credentials_in_events;
    for (const auto& [id, serial] : credential_certificate) held_serials.insert(serial);
    for (const auto& [serial, profile] : certificate_profile)
        if (profile == "signer" && certificate_status[serial] == "valid" && !held_serials.count(serial))
            problem("signer certificate " + serial + " is valid but no credential holds its key");
    std::set<std::string> created_accounts;
    for (const auto& e : events) {
        for (const char* key : {"credential_id", "new_credential"})
            if (e.details.contains(key)) credentials_in_events.insert(e.details.value(key, ""));
        if (e.action == "account.signing_key_created" && !credential_certificate.count(e.details.value("credential_id", "")))
            problem("event account.signing_key_created names credential " + e.details.value("credential_id", "") +
                    ", which does not exist");
        if (e.action == "account.created") {
            created_accounts.insert(e.details.value("account_id", ""));
            if (!account_ids.count(e.details.value("account_id", "")))
                problem("event account.created names account " + e.object + ", which does not exist");
        }
    }
    for (const auto& [id, serial] : credential_certificate)
        if (!credentials_in_events.count(id)) problem("credential " + id + " has no event that made it");
    for (const auto& id : account_ids)
        if (!created_accounts.count(id)) problem("account " + id + " has no account.created event");

    // Applications: approved exactly when an "application.approved" event names it, with its account.
    std::set<std::string> approved_events;
    for (const auto& e : events)
        if (e.action == "application.approved" && !approved_events.insert(object_id(e.object)).second)
            problem("application " + e.object + " was approved twice");
    for (const auto& [id, a] : applications) {
        bool approved_row = a.status == "approved";
        if (approved_row != (approved_events.count(id) > 0))
            problem("application " + id + " is '" + a.status + "' but " +
                    (approved_row ? "no approval event names it" : "an approval event names it"));
        if (approved_row && !account_ids.count(a.account_id))
            problem("approved application " + id + " names account " + a.account_id + ", which does not exist");
    }

    // SADs (CSC §11.9, the SAD's numSignatures): consumed never beyond the grant; signatures created never beyond
    // what was consumed; a SAD row still present holds exactly what the events leave of the grant.
    std::map<std::string, int> granted, consumed, finished;
    for (const auto& e : events) {
        std::string sad = e.details.value("sad", "");
        if (e.action == "csc.credential.authorized") granted[sad] = count_of(e.details, "signatures");
        if (e.action == "csc.sad.consumed") {
            if (!granted.count(sad)) problem("SAD " + sad + " consumed without an authorisation event");
            consumed[sad] += count_of(e.details, "count");
            for (const auto& h : split_list(e.details.value("hashes", ""))) out.sad_of_hash[h] = sad;
        }
        if (e.action == "csc.signatures.created") {
            out.created_per_sad[sad] += count_of(e.details, "count");
            for (const auto& leaf : split_list(e.details.value("log_leaves", "")))
                if (!leaf_hashes.count(leaf)) problem("signature leaf " + leaf + " of SAD " + sad + " is not in the log");
        }
        if (e.action == "csc.signatures.created" || e.action == "csc.signatures.failed")
            finished[sad] += count_of(e.details, "count");
    }
    std::int64_t created_total = 0;
    for (const auto& [sad, n] : consumed) {
        if (n > granted[sad])
            problem("SAD " + sad + " spent " + std::to_string(n) + " of " + std::to_string(granted[sad]) + " signatures");
        if (out.created_per_sad[sad] > n) problem("SAD " + sad + " signed more than it consumed");
        out.sad_consumptions_unfinished += n - finished[sad];
    }
    for (const auto& [sad, n] : out.created_per_sad) created_total += n;
    for (const auto& [sad, remaining] : sad_remaining)
        if (granted.count(sad) && remaining != granted[sad] - consumed[sad])
            problem("SAD " + sad + " row has " + std::to_string(remaining) + " left, events leave " +
                    std::to_string(granted[sad] - consumed[sad]));
    if (tree_size != static_cast<std::int64_t>(leaf_hashes.size()) || tree_size != created_total)
        problem("the transparency log holds " + std::to_string(leaf_hashes.size()) + " leaves (size " +
                std::to_string(tree_size) + ") for " + std::to_string(created_total) + " signatures created");

    // CRLs: a row per "ca.crl.published" and an event per row; the counter never behind a stored number.
    std::set<std::string> published;
    int crl_signing = 0, crl_finished = 0;
    for (const auto& e : events) {
        if (e.action == "ca.crl.signing") ++crl_signing;
        if (e.action == "ca.crl.signing_failed") ++crl_finished;
        if (e.action != "ca.crl.published") continue;
        ++crl_finished;
        published.insert(object_id(e.object));
        if (!crl_numbers.count(object_id(e.object))) problem("CRL " + e.object + " was published without its row");
    }
    for (const auto& n : crl_numbers) {
        if (!published.count(n)) problem("CRL " + n + " has no publication event");
        if (std::stoll(n) > crl_counter) problem("CRL " + n + " is above the CRL number counter");
    }
    out.crl_signings_unfinished = crl_signing - crl_finished;
    return out;
}

}  // namespace yq::test::reliability
