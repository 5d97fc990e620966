#include "notices/message_composer.hpp"

#include <ctime>
#include <nlohmann/json.hpp>

#include "core/error.hpp"
#include "core/mustache_json.hpp"

namespace yq::notices {

const char* messages_json();  // generated from src/notices/messages.json

namespace {

using nlohmann::json;
namespace mustache = kainjow::mustache;

const json& catalogue() {
    static const json messages = json::parse(messages_json());
    return messages;
}

const char* kLanguages[] = {"zh-Hant", "pt"};

// Plain text: nothing is escaped (the mail is text/plain; HTML escaping would show "&amp;" to the reader).
std::string fill(const std::string& text, const json& data) {
    mustache::mustache tmpl(text);
    tmpl.set_custom_escape([](const std::string& s) { return s; });
    std::string out = tmpl.render(core::to_mustache(data));
    if (!tmpl.is_valid()) throw Error("notices.bad_template", 500, "a notice text is not valid Mustache: " + tmpl.error_message());
    return out;
}

std::string one_line(std::string s) {
    for (char& ch : s)
        if (ch == '\r' || ch == '\n') ch = ' ';
    return s;
}

std::string format(std::int64_t unix_seconds, int utc_offset_minutes, const char* pattern) {
    std::time_t t = static_cast<std::time_t>(unix_seconds + std::int64_t{utc_offset_minutes} * 60);
    std::tm tm{};
    gmtime_r(&t, &tm);
    char buf[40];
    std::strftime(buf, sizeof buf, pattern, &tm);
    return buf;
}

// The facts one notice gives its text, in `lang`: its params, times as the office reads them, and the request kind's
// name in that language.
json facts(const QueuedNotice& n, const std::string& lang, int offset) {
    json p = json::parse(n.params, nullptr, false);
    if (!p.is_object()) p = json::object();
    std::int64_t at = p.contains("at") && p["at"].is_number_integer() ? p["at"].get<std::int64_t>() : n.created_at;
    p["time"] = office_time_text(at, offset);
    if (p.contains("not_after") && p["not_after"].is_number_integer())
        p["date"] = office_date_text(p["not_after"].get<std::int64_t>(), offset);
    if (lang == "pt" && p.contains("agency_pt") && p["agency_pt"].is_string() && !p["agency_pt"].get<std::string>().empty())
        p["agency"] = p["agency_pt"];
    if (p.contains("request") && p["request"].is_string()) {
        const std::string kind = p["request"];
        p[kind] = true;  // {{#revocation}}…{{/revocation}}
        p["kind_label"] = catalogue()["request_kinds"][lang].value(kind, kind);
    }
    return p;
}

}  // namespace

std::string office_time_text(std::int64_t unix_seconds, int utc_offset_minutes) {
    int m = utc_offset_minutes < 0 ? -utc_offset_minutes : utc_offset_minutes;
    char zone[16];
    std::snprintf(zone, sizeof zone, "UTC%c%02d:%02d", utc_offset_minutes < 0 ? '-' : '+', m / 60, m % 60);
    return format(unix_seconds, utc_offset_minutes, "%Y-%m-%d %H:%M") + " (" + zone + ")";
}

std::string office_date_text(std::int64_t unix_seconds, int utc_offset_minutes) {
    return format(unix_seconds, utc_offset_minutes, "%Y-%m-%d");
}

ComposedMessage MessageComposer::compose(const std::vector<QueuedNotice>& group) const {
    if (group.empty()) throw Error("notices.empty_group", 500, "a notice mail needs at least one notice");
    const json& kinds = catalogue()["kinds"];
    const std::string& kind = group.front().kind;
    if (!kinds.contains(kind)) throw Error("notices.unknown_kind", 500, "no notice text for kind " + kind);
    const bool digest = group.size() > 1;
    json office{{"phone", m_office.phone},
                {"helpdesk_email", m_office.helpdesk_email},
                {"operator", core::text_in(m_office.operator_name, "zh-Hant")},
                {"operator_pt", core::text_in(m_office.operator_name, "pt")}};

    ComposedMessage out;
    std::vector<std::string> subjects, bodies;
    for (const char* lang : kLanguages) {
        const json& text = kinds[kind][lang];
        json data;
        if (digest) {
            data = facts(group.front(), lang, m_office.utc_offset_minutes);
            data["signings"] = json::array();
            for (const QueuedNotice& n : group) data["signings"].push_back(facts(n, lang, m_office.utc_offset_minutes));
            data["total"] = std::to_string(group.size());
        } else {
            data = facts(group.front(), lang, m_office.utc_offset_minutes);
        }
        subjects.push_back(one_line(fill(text.value(digest ? "digest_subject" : "subject", ""), data)));
        bodies.push_back(fill(text.value(digest ? "digest_body" : "body", ""), data) + "\n\n" +
                         fill(catalogue()["footer"][lang], office));
    }
    out.subject = "【雲簽】" + subjects[0] + " / yunqian: " + subjects[1];
    out.body = bodies[0] + "\n\n———— Português ————\n\n" + bodies[1] + "\n";
    return out;
}

}  // namespace yq::notices
