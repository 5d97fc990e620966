#pragma once
// Sends the notice queue (#16): leases the due notices, looks up each audience's address, composes one mail per notice
// (or per digest group), hands it to the mail server, and records the outcome — sent, queued again with a doubling
// delay, or given up after mail.max_attempts — each with its audit event. Nothing leaves the queue unless the mail
// server took the mail or the office can see why it was given up (the office's notices page).
#include <cstdint>
#include <optional>
#include <string>

#include "core/clock.hpp"
#include "core/config.hpp"
#include "notices/message_composer.hpp"
#include "notices/outbox.hpp"
#include "notices/smtp_mailer.hpp"

namespace yq::notices {

struct Recipient {
    std::string email;
    std::string name;
};

// Who an audience is now (declared here, implemented by the component that knows: the registration office).
class AddressBook {
public:
    virtual ~AddressBook() = default;
    // nullopt: nobody, or nobody with an address on file.
    virtual std::optional<Recipient> recipient(const std::string& audience) = 0;
};

struct DispatchRound {
    int sent = 0;       // mails the server took
    int retrying = 0;   // mails queued again
    int abandoned = 0;  // mails given up
};

// The delay before attempt `attempts + 1` after `attempts` failed ones: retry_seconds doubled per failure, capped.
std::int64_t retry_delay(const core::MailConfig& config, int attempts);

class Dispatcher {
public:
    Dispatcher(const core::MailConfig& config, Outbox& outbox, AddressBook& addresses, MailTransport& transport,
               const MessageComposer& composer, const core::Clock& clock, std::string node)
        : m_config(config), m_outbox(outbox), m_addresses(addresses), m_transport(transport), m_composer(composer),
          m_clock(clock), m_node(std::move(node)) {}

    // One pass over the due notices (at most mail.batch, plus their digest groups). After the mail server fails once,
    // the rest of the pass is given back for the next one (nothing is counted against them).
    DispatchRound run_once();

private:
    const core::MailConfig& m_config;
    Outbox& m_outbox;
    AddressBook& m_addresses;
    MailTransport& m_transport;
    const MessageComposer& m_composer;
    const core::Clock& m_clock;
    std::string m_node;
};

}  // namespace yq::notices
