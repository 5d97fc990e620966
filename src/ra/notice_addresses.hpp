#pragma once
// #16: where each audience of a notice is reached now — the account's e-mail, the applicant's (before the account
// opens), or the contact person's of an agency (named, or the one the account belongs to). Read when the mail is sent.
#include "accounts/account.hpp"
#include "notices/dispatcher.hpp"
#include "ra/registry_store.hpp"

namespace yq::ra {

class NoticeAddresses final : public notices::AddressBook {
public:
    NoticeAddresses(RegistryStore& store, accounts::AccountStore& accounts) : m_store(store), m_accounts(accounts) {}
    std::optional<notices::Recipient> recipient(const std::string& audience) override;

private:
    RegistryStore& m_store;
    accounts::AccountStore& m_accounts;
};

}  // namespace yq::ra
