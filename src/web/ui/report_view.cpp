#include "web/ui/report_view.hpp"

#include "pki/readable_name.hpp"

#include <algorithm>

#include "core/clock.hpp"

#include "web/ui/i18n.hpp"
#include "web/ui/page_renderer.hpp"

namespace yq::web {

namespace {

// #16: a certificate's subject as people read it: the name, then title · unit · organisation.
std::string readable(const std::string& subject) {
    if (subject.empty()) return "";
    pki::ReadableName n = pki::readable_name(subject);
    return n.detail.empty() ? n.name : n.name + " (" + n.detail + ")";
}

nlohmann::json readable_chain(const std::vector<std::string>& chain) {
    nlohmann::json out = nlohmann::json::array();
    for (const auto& subject : chain) out.push_back(readable(subject));
    return out;
}


// Times are shown in office time (Asia/Macau, UTC+8 all year): "2026-11-26 09:15:02".
constexpr std::int64_t kOfficeOffsetSeconds = 8 * 3600;

std::string office_time_text(std::int64_t unix_seconds) {
    std::string utc = core::to_rfc3339(unix_seconds + kOfficeOffsetSeconds);  // "2026-11-26T01:15:02Z"
    return utc.substr(0, 10) + " " + utc.substr(11, 8);
}

// ISO 32000-2 §7.9.4: D:YYYYMMDDHHmmSSOHH'mm' (later parts optional); 0 when unreadable.
std::int64_t parse_pdf_date(const std::string& d) {
    std::string s = d.rfind("D:", 0) == 0 ? d.substr(2) : d;
    if (s.size() < 14 || !std::all_of(s.begin(), s.begin() + 14, [](unsigned char c) { return std::isdigit(c); })) return 0;
    std::string rfc = s.substr(0, 4) + "-" + s.substr(4, 2) + "-" + s.substr(6, 2) + "T" + s.substr(8, 2) + ":" +
                      s.substr(10, 2) + ":" + s.substr(12, 2) + "Z";
    std::int64_t t = 0;
    try {
        t = core::parse_rfc3339(rfc);
    } catch (const std::exception&) {
        return 0;
    }
    if (s.size() >= 17 && (s[14] == '+' || s[14] == '-')) {
        int hours = std::atoi(s.substr(15, 2).c_str());
        int minutes = s.size() >= 21 ? std::atoi(s.substr(18, 2).c_str()) : 0;
        std::int64_t offset = (hours * 60 + minutes) * 60;
        t += s[14] == '+' ? -offset : offset;
    }
    return t;
}

// A detail in the reader's language: its catalogue text (verify.detail_texts.<code>) with the {name} placeholders
// filled; the English sentence when the catalogue has no text for its code.
std::string shown_detail(const std::string& lang, const validation::Detail& d) {
    const std::string key = "verify.detail_texts." + d.code;
    std::string text = translate(lang, key);
    if (d.code.empty() || text == key) return d.text;
    for (const auto& [name, value] : d.params) {
        const std::string placeholder = "{" + name + "}";
        for (std::size_t at = text.find(placeholder); at != std::string::npos; at = text.find(placeholder, at + value.size()))
            text.replace(at, placeholder.size(), value);
    }
    return text;
}

std::string shown_time(const std::string& lang, std::int64_t unix_seconds) {
    return unix_seconds > 0 ? office_time_text(unix_seconds) + " " + translate(lang, "verify.office_time") : "";
}

}  // namespace

nlohmann::json report_view(const validation::Report& r, const std::string& lang, const std::string& file_name) {
    nlohmann::json view;
    view["file_name"] = file_name;
    view["file_sha256"] = r.file_sha256;
    view["problem"] = r.problem;
    view["no_signatures"] = r.problem.empty() && r.signatures.empty();
    view["all_passed"] = r.all_passed();
    nlohmann::json list = nlohmann::json::array();
    int number = 0;
    for (const auto& s : r.signatures) {
        const std::string best_time = validation::best_signature_time(r, s);
        nlohmann::json details = nlohmann::json::array();
        for (const auto& d : s.details) details.push_back(shown_detail(lang, d));
        // the badge's style: passed | failed | indeterminate
        const std::string css = s.indication == validation::kTotalPassed   ? "passed"
                                : s.indication == validation::kTotalFailed ? "failed"
                                                                           : "indeterminate";
        list.push_back({{"number", std::to_string(++number)},
                        {"kind", translate(lang, "verify.kinds." + s.kind)},
                        {"indication", translate(lang, "verify.indications." + s.indication)},
                        {"css", css},
                        {"sub_indication", s.sub_indication},
                        {"reason", s.sub_indication.empty() ? "" : translate(lang, "verify.sub_indications." + s.sub_indication)},
                        {"signer", readable(s.signer)},
                        {"field", s.field},
                        {"claimed_time", s.claimed_time.empty() ? "" : parse_pdf_date(s.claimed_time) > 0
                                                                        ? shown_time(lang, parse_pdf_date(s.claimed_time))
                                                                        : s.claimed_time},
                        {"timestamp_time", s.timestamp_time.empty() ? "" : shown_time(lang, core::parse_rfc3339(s.timestamp_time))},
                        {"best_time", best_time.empty() ? "" : shown_time(lang, core::parse_rfc3339(best_time))},
                        {"level", s.level},
                        {"revocation", s.revocation_status.empty()
                                           ? ""
                                           : translate(lang, "verify.statuses." + s.revocation_status) +
                                                 (s.revocation_source.empty()
                                                      ? ""
                                                      : " (" + translate(lang, "verify.sources." + s.revocation_source) + ")")},
                        {"whole", s.covers_whole_document},
                        {"digest", s.byte_range_sha256},
                        {"chain", readable_chain(s.chain)},
                        {"has_chain", !s.chain.empty()},
                        {"details", details}});
    }
    view["signatures"] = list;
    return view;
}

std::vector<pades::GuideBlock> report_document_blocks(const validation::Report& r, const std::string& lang,
                                                      const std::string& file_name) {
    const nlohmann::json v = report_view(r, lang, file_name);
    auto t = [&lang](const std::string& key) { return translate(lang, key); };
    std::vector<pades::GuideBlock> out{{"h1", t("verify.report") + (file_name.empty() ? "" : " · " + file_name), ""}};
    if (!r.problem.empty()) {
        out.push_back({"p", t("verify.problem") + ": " + r.problem, ""});
        return out;
    }
    out.push_back({"p", r.signatures.empty() ? t("verify.no_signatures")
                                             : r.all_passed() ? t("verify.all_passed") : t("verify.not_all_passed"), ""});
    out.push_back({"dt", t("verify.file_hash"), ""});
    out.push_back({"code", r.file_sha256, ""});
    auto pair = [&out](const std::string& term, const std::string& value) {
        if (value.empty()) return;
        out.push_back({"dt", term, ""});
        out.push_back({"dd", value, ""});
    };
    for (const auto& s : v["signatures"]) {
        out.push_back({"h2", t("verify.signature") + " " + s["number"].get<std::string>() + " · " +
                                 s["kind"].get<std::string>() + " · " + s["indication"].get<std::string>(), ""});
        std::string result = s["indication"].get<std::string>();
        if (!s["sub_indication"].get<std::string>().empty())
            result += ": " + s["reason"].get<std::string>() + " (" + s["sub_indication"].get<std::string>() + ")";
        pair(t("verify.result"), result);
        pair(t("verify.signer"), s["signer"]);
        pair(t("verify.field"), s["field"]);
        pair(t("verify.claimed_time"), s["claimed_time"]);
        pair(t("verify.timestamp_time"), s["timestamp_time"]);
        pair(t("verify.best_signature_time"), s["best_time"]);
        std::string chain;
        for (const auto& c : s["chain"]) chain += (chain.empty() ? "" : " ← ") + c.get<std::string>();
        pair(t("verify.chain"), chain);
        pair(t("verify.level"), s["level"]);
        pair(t("verify.revocation"), s["revocation"]);
        pair(t("verify.whole"), s["whole"].get<bool>() ? t("verify.yes") : t("verify.no"));
        if (!s["digest"].get<std::string>().empty()) {
            out.push_back({"dt", t("verify.signed_digest"), ""});
            out.push_back({"code", s["digest"], ""});
        }
    }
    return out;
}

std::string report_section_html(const validation::Report& r, const std::string& lang, const std::string& file_name) {
    nlohmann::json view = report_view(r, lang, file_name);
    view["t"] = catalogue(lang);
    return PageRenderer::render_template("verify_report", view);
}

}  // namespace yq::web
