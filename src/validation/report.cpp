#include "validation/report.hpp"

namespace yq::validation {

bool Report::all_passed() const {
    if (!problem.empty() || signatures.empty()) return false;
    for (const auto& s : signatures)
        if (s.indication != kTotalPassed) return false;
    return true;
}

std::string best_signature_time(const Report& r, const SignatureReport& s) {
    return s.timestamp_time.empty() ? r.validation_time : s.timestamp_time;
}

nlohmann::json to_json(const Report& r) {
    nlohmann::json sigs = nlohmann::json::array();
    for (const auto& s : r.signatures) {
        nlohmann::json details = nlohmann::json::array();
        for (const auto& d : s.details) details.push_back(d.text);
        sigs.push_back({{"field", s.field},
                        {"kind", s.kind},
                        {"sub_filter", s.sub_filter},
                        {"indication", s.indication},
                        {"sub_indication", s.sub_indication},
                        {"details", details},
                        {"signer", s.signer},
                        {"claimed_time", s.claimed_time},
                        {"timestamp_time", s.timestamp_time},
                        {"best_signature_time", best_signature_time(r, s)},
                        {"chain", s.chain},
                        {"revocation", s.revocation},
                        {"revocation_status", s.revocation_status},
                        {"revocation_source", s.revocation_source},
                        {"covers_whole_document", s.covers_whole_document},
                        {"level", s.level},
                        {"byte_range_sha256", s.byte_range_sha256}});
    }
    nlohmann::json out = {{"file_sha256", r.file_sha256},
                          {"validation_time", r.validation_time},
                          {"signatures", sigs},
                          {"all_passed", r.all_passed()}};
    if (!r.problem.empty()) out["problem"] = r.problem;
    return out;
}

std::string to_text(const Report& r) {
    std::string out;
    if (!r.problem.empty()) return "cannot validate: " + r.problem + "\n";
    if (r.signatures.empty()) return "the document carries no signature\n";
    int n = 0;
    for (const auto& s : r.signatures) {
        out += "#" + std::to_string(++n) + " " + s.kind + " \"" + s.field + "\": " + s.indication;
        if (!s.sub_indication.empty()) out += " (" + s.sub_indication + ")";
        out += "\n";
        if (!s.signer.empty()) out += "   signer: " + s.signer + "\n";
        if (!s.level.empty()) out += "   level: " + s.level + "\n";
        if (!s.timestamp_time.empty()) out += "   time-stamp: " + s.timestamp_time + "\n";
        out += "   best signature time: " + best_signature_time(r, s) + "\n";
        if (!s.chain.empty()) {
            out += "   chain:";
            for (std::size_t i = 0; i < s.chain.size(); ++i) out += (i ? " <- " : " ") + s.chain[i];
            out += "\n";
        }
        if (!s.revocation.empty()) out += "   revocation: " + s.revocation + "\n";
        out += std::string("   ") + (s.covers_whole_document ? "covers the whole document" : "later changes follow") + "\n";
        for (const auto& d : s.details) out += "   - " + d.text + "\n";
    }
    out += r.all_passed() ? "all signatures passed\n" : "not all signatures passed\n";
    return out;
}

}  // namespace yq::validation
