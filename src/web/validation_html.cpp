#include "web/validation_html.hpp"

namespace yq::web {

namespace {

std::string escape(const std::string& s) {
    std::string out;
    out.reserve(s.size());
    for (char c : s) {
        switch (c) {
            case '&': out += "&amp;"; break;
            case '<': out += "&lt;"; break;
            case '>': out += "&gt;"; break;
            case '"': out += "&quot;"; break;
            case '\'': out += "&#39;"; break;
            default: out.push_back(c);
        }
    }
    return out;
}

std::string indication_label(const std::string& indication) {
    if (indication == "PASSED") return "通過 Passed";
    if (indication == "FAILED") return "失敗 Failed";
    return "未能確定 Indeterminate";
}

std::string row(const char* label, const std::string& value) {
    if (value.empty()) return "";
    return std::string("<tr><th>") + label + "</th><td>" + escape(value) + "</td></tr>\n";
}

}  // namespace

std::string validation_report_html(const validation::Report& r, const std::string& file_name) {
    std::string html = R"(<!doctype html>
<html lang="zh-Hant"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>驗證報告 Validation report</title>
<style>
body{font-family:"Noto Sans TC","Droid Sans Fallback","DejaVu Sans",sans-serif;margin:2rem auto;max-width:52rem;padding:0 1rem;color:#1b1b1b}
h1{font-size:1.4rem}.sig{border:1px solid #c9d3e3;border-radius:6px;padding:1rem;margin:1rem 0}
.PASSED{color:#0b6b2b}.FAILED{color:#a4161a}.INDETERMINATE{color:#8a5a00}
th{text-align:left;padding-right:1rem;vertical-align:top;white-space:nowrap;font-weight:600}td{word-break:break-word}
.summary{font-size:1.1rem;font-weight:600}
</style></head><body>
<h1>驗證報告 Validation report</h1>
)";
    html += "<p>" + escape(file_name) + "<br><small>SHA-256 " + escape(r.file_sha256) + "</small></p>\n";
    if (!r.problem.empty()) {
        html += "<p class=\"summary FAILED\">未能讀取文件 The file could not be read: " + escape(r.problem) + "</p>\n";
    } else if (r.signatures.empty()) {
        html += "<p class=\"summary INDETERMINATE\">文件沒有簽署 The document carries no signature.</p>\n";
    } else {
        html += std::string("<p class=\"summary ") + (r.all_passed() ? "PASSED\">所有簽署均通過 All signatures passed"
                                                                     : "FAILED\">並非所有簽署均通過 Not all signatures passed") +
                "</p>\n";
    }
    int n = 0;
    for (const auto& s : r.signatures) {
        html += "<section class=\"sig\"><h2>#" + std::to_string(++n) + " " +
                escape(s.kind == "signature" ? "簽署 Signature" : s.kind == "document time-stamp" ? "文件時間戳 Document time-stamp" : s.kind) +
                " · " + escape(s.field) + "</h2>\n<p class=\"" + escape(s.indication) + "\"><strong>" +
                indication_label(s.indication) + "</strong>" + (s.sub_indication.empty() ? "" : " — " + escape(s.sub_indication)) +
                "</p>\n<table>\n";
        html += row("簽署人 Signer", s.signer);
        html += row("等級 Level", s.level);
        html += row("聲稱時間 Claimed time", s.claimed_time);
        html += row("時間戳 Time-stamp", s.timestamp_time);
        html += row("撤銷狀態 Revocation", s.revocation);
        html += row("範圍 Coverage", s.covers_whole_document ? "整份文件 the whole document" : "之後有修改 later changes follow");
        html += "</table>\n";
        if (!s.details.empty()) {
            html += "<ul>\n";
            for (const auto& d : s.details) html += "<li>" + escape(d) + "</li>\n";
            html += "</ul>\n";
        }
        html += "</section>\n";
    }
    html += "</body></html>\n";
    return html;
}

}  // namespace yq::web
