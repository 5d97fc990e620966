#include <nlohmann/json.hpp>

#include "ra/notice_addresses.hpp"
#include "ra/records.hpp"

namespace yq::ra {

namespace {

std::optional<std::string> after_prefix(const std::string& audience, const std::string& prefix) {
    if (audience.rfind(prefix, 0) != 0 || audience.size() == prefix.size()) return std::nullopt;
    return audience.substr(prefix.size());
}

std::optional<notices::Recipient> reachable(const std::string& email, const std::string& name) {
    if (email.empty()) return std::nullopt;
    return notices::Recipient{email, name};
}

}  // namespace

std::optional<notices::Recipient> NoticeAddresses::recipient(const std::string& audience) {
    auto contact_of = [&](const std::string& agency_id) -> std::optional<notices::Recipient> {
        auto r = m_store.record(agency_id);
        if (!r || r->kind != "agency") return std::nullopt;
        Agency a = nlohmann::json::parse(r->data).get<Agency>();
        return reachable(a.contact.email, a.contact.name);
    };
    if (auto id = after_prefix(audience, "account:")) {
        auto a = m_accounts.account_by_id(*id);
        return a ? reachable(a->email, a->display_name) : std::nullopt;
    }
    if (auto id = after_prefix(audience, "agency:")) return contact_of(*id);
    if (auto id = after_prefix(audience, "application:")) {
        auto r = m_store.record(*id);
        if (!r || r->kind != "application") return std::nullopt;
        Application a = nlohmann::json::parse(r->data).get<Application>();
        return reachable(a.email, a.display_name);
    }
    if (auto id = after_prefix(audience, "agency-of-account:")) {
        auto a = m_accounts.account_by_id(*id);
        if (!a) return std::nullopt;
        auto owner = m_store.unique_key_owner("username:" + a->username);
        auto app = owner ? m_store.record(*owner) : std::nullopt;
        return app ? contact_of(app->agency_id) : std::nullopt;
    }
    return std::nullopt;
}

}  // namespace yq::ra
