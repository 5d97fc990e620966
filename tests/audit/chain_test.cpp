#include <gtest/gtest.h>

#include "audit/event.hpp"

using namespace yq;

namespace {
std::vector<audit::StoredEvent> make_chain(int n) {
    std::vector<audit::StoredEvent> out;
    core::Bytes prev = audit::genesis_hash();
    for (int i = 1; i <= n; ++i) {
        audit::Event e{"staff:alice", "ca.certificate.issued", "certificate:" + std::to_string(i),
                       audit::details({{"profile", "signer"}}), 1700000000 + i};
        core::Bytes h = audit::chain_hash(prev, i, e);
        out.push_back({i, e, prev, h});
        prev = h;
    }
    return out;
}
}  // namespace

TEST(AuditChain, IntactChainVerifies) {
    auto r = audit::verify_chain(make_chain(5), {}, {});
    EXPECT_TRUE(r.ok) << r.problem;
    EXPECT_EQ(r.events_checked, 5);
}

TEST(AuditChain, AlteredDetailsAreFoundAtThatEvent) {
    auto chain = make_chain(5);
    chain[2].event.details = audit::details({{"profile", "organisation"}});
    auto r = audit::verify_chain(chain, {}, {});
    EXPECT_FALSE(r.ok);
    EXPECT_EQ(r.first_broken_seq, 3);
}

TEST(AuditChain, RecomputedHashIsCaughtByTheNextLink) {
    auto chain = make_chain(5);
    chain[1].event.actor = "staff:mallory";
    chain[1].hash = audit::chain_hash(chain[1].prev_hash, 2, chain[1].event);  // forger fixes this row's hash
    auto r = audit::verify_chain(chain, {}, {});
    EXPECT_FALSE(r.ok);
    EXPECT_EQ(r.first_broken_seq, 3);  // but event 3 still points at the old hash
}

TEST(AuditChain, RemovedEventIsFound) {
    auto chain = make_chain(5);
    chain.erase(chain.begin() + 1);
    auto r = audit::verify_chain(chain, {}, {});
    EXPECT_FALSE(r.ok);
    EXPECT_EQ(r.first_broken_seq, 3);
}

TEST(AuditChain, CanonicalJsonIgnoresDetailKeyOrderAndSpacing) {
    audit::Event a{"x", "y", "z", R"({"b":"2","a":"1"})", 1};
    audit::Event b{"x", "y", "z", R"({ "a": "1", "b": "2" })", 1};
    EXPECT_EQ(audit::chain_hash(audit::genesis_hash(), 1, a), audit::chain_hash(audit::genesis_hash(), 1, b));
}
