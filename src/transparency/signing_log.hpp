#pragma once
// The signing transparency log (#18): every use of a signer's key is a leaf of one append-only Merkle tree (RFC 9162
// §2.1), written in the same transaction as the signature's "created" audit event — no signature leaves the server
// without its leaf. The tree head is signed with the HSM's log key (RFC 6962 §3.5 structure) at an interval and on
// demand; inclusion and consistency proofs let a signer, or anyone holding a signed PDF's public record, check that a
// signature is in the log, and let anyone check that the log only grew. A signature made without the user (a
// subverted server) cannot be hidden from them without forking the log, which a consistency proof exposes.
// Error style: throws yq::Error "transparency.*" (bad_range, unknown_leaf, no_head, damaged).
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "core/clock.hpp"
#include "keystore/keystore.hpp"
#include "pki/ca_store.hpp"
#include "transparency/log_entry.hpp"
#include "transparency/log_store.hpp"

namespace yq::transparency {

struct InclusionProof {
    StoredLeaf leaf;
    std::vector<core::Bytes> audit_path;
    SignedTreeHead head;
};

// What a verifier needs besides the proof: the log's certificate and the issuing CA's (to chain to the root).
struct LogCertificates {
    core::Bytes log_certificate;
    core::Bytes issuing_certificate;
};

// `yunqian transparency verify` on the stored log.
struct LogCheck {
    bool ok = true;
    std::int64_t leaves_checked = 0;
    std::int64_t nodes_checked = 0;
    std::int64_t heads_checked = 0;
    std::optional<std::int64_t> first_bad_leaf;
    std::string problem;
};

class SigningLog {
public:
    SigningLog(LogStore& store, pki::CaStore& ca_store, keystore::Keystore& keys, const core::Clock& clock);

    // Appends the leaves (in order) with `e`, atomically; returns their indexes.
    std::vector<std::int64_t> record(const std::vector<NewLeaf>& leaves, const audit::Event& e);
    // Signs the current tree unless a head of its size is already signed; returns the newest signed head (none only
    // for an empty log that was never signed).
    std::optional<SignedTreeHead> sign_head();
    // The newest signed head, signed now if the log has none yet.
    SignedTreeHead latest_head();
    // The leaf's audit path to the newest signed head, signing a new head first when none covers the leaf yet.
    InclusionProof inclusion(std::int64_t index);
    // RFC 6962 §4.5 get-proof-by-hash: the first leaf with this hash and its path in the tree of `tree_size`.
    std::pair<std::int64_t, std::vector<core::Bytes>> proof_by_hash(const core::Bytes& leaf_hash, std::int64_t tree_size);
    // RFC 6962 §4.4 get-sth-consistency (RFC 9162 §2.1.4).
    std::vector<core::Bytes> consistency(std::int64_t first, std::int64_t second);
    std::vector<StoredLeaf> leaves_of(const std::string& account_id, std::int64_t limit);
    std::optional<StoredLeaf> leaf(std::int64_t index);
    LogCertificates certificates();

    // Recomputes every leaf hash and node from the leaves' text, each signed head's root, and checks each head's
    // signature with `log_public_key` (SubjectPublicKeyInfo DER, from the log certificate chained to the root).
    LogCheck check(const core::Bytes& log_public_key);

private:
    LogStore& m_store;
    pki::CaStore& m_ca_store;
    keystore::Keystore& m_keys;
    const core::Clock& m_clock;
};

}  // namespace yq::transparency
