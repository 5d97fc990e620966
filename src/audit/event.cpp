#include "audit/event.hpp"

#include <openssl/evp.h>
#include <openssl/x509.h>

#include <algorithm>
#include <map>
#include <nlohmann/json.hpp>

namespace yq::audit {

std::string details(std::initializer_list<std::pair<std::string, std::string>> fields) {
    nlohmann::json j = nlohmann::json::object();
    for (const auto& [k, v] : fields) j[k] = v;
    return j.dump();
}

std::string canonical_json(std::int64_t seq, const Event& e) {
    nlohmann::json j = nlohmann::json::object();
    j["seq"] = seq;
    j["time"] = e.time;
    j["actor"] = e.actor;
    j["action"] = e.action;
    j["object"] = e.object;
    // details are stored as text; re-parse so key order and spacing cannot change the hash input
    j["details"] = e.details.empty() ? nlohmann::json::object() : nlohmann::json::parse(e.details, nullptr, false);
    return j.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
}

core::Bytes genesis_hash() { return core::Bytes(32, 0); }

core::Bytes chain_hash(const core::Bytes& prev_hash, std::int64_t seq, const Event& e) {
    std::string body = canonical_json(seq, e);
    core::Bytes input = prev_hash;
    input.insert(input.end(), body.begin(), body.end());
    return core::sha256(input);
}

core::Bytes head_signature_digest(std::int64_t seq, const core::Bytes& hash) {
    std::string tag = "yunqian-audit-head";
    core::Bytes input(tag.begin(), tag.end());
    for (int i = 7; i >= 0; --i) input.push_back(static_cast<std::uint8_t>(static_cast<std::uint64_t>(seq) >> (8 * i)));
    input.insert(input.end(), hash.begin(), hash.end());
    return core::sha256(input);
}

namespace {
bool verify_signature(const core::Bytes& spki, const core::Bytes& digest, const core::Bytes& sig) {
    const unsigned char* p = spki.data();
    EVP_PKEY* key = d2i_PUBKEY(nullptr, &p, static_cast<long>(spki.size()));
    if (key == nullptr) return false;
    EVP_PKEY_CTX* ctx = EVP_PKEY_CTX_new(key, nullptr);
    bool ok = ctx && EVP_PKEY_verify_init(ctx) == 1 && EVP_PKEY_CTX_set_signature_md(ctx, EVP_sha256()) == 1 &&
              EVP_PKEY_verify(ctx, sig.data(), sig.size(), digest.data(), digest.size()) == 1;
    EVP_PKEY_CTX_free(ctx);
    EVP_PKEY_free(key);
    return ok;
}
}  // namespace

VerifyReport verify_chain(const std::vector<StoredEvent>& events, const std::vector<HeadSignature>& signatures,
                          const core::Bytes& signer_public_key_der) {
    VerifyReport r;
    core::Bytes prev = genesis_hash();
    std::int64_t expected_seq = 1;
    std::map<std::int64_t, core::Bytes> hash_at;
    for (const StoredEvent& s : events) {
        auto broken = [&](std::string why) {
            r.ok = false;
            r.first_broken_seq = s.seq;
            r.problem = std::move(why);
        };
        if (s.seq != expected_seq) {
            broken("missing event: expected seq " + std::to_string(expected_seq) + ", found " + std::to_string(s.seq));
            return r;
        }
        if (!core::constant_time_equal(s.prev_hash.data(), s.prev_hash.size(), prev.data(), prev.size())) {
            broken("prev_hash does not match the hash of event " + std::to_string(s.seq - 1));
            return r;
        }
        core::Bytes h = chain_hash(prev, s.seq, s.event);
        if (!core::constant_time_equal(h.data(), h.size(), s.hash.data(), s.hash.size())) {
            broken("event content does not match its hash (the row was altered)");
            return r;
        }
        hash_at[s.seq] = h;
        prev = h;
        ++expected_seq;
        ++r.events_checked;
    }
    if (signer_public_key_der.empty()) return r;
    for (const HeadSignature& sig : signatures) {
        auto it = hash_at.find(sig.seq);
        if (it == hash_at.end() || it->second != sig.hash) {
            r.ok = false;
            r.first_broken_seq = sig.seq;
            r.problem = "a signed chain head no longer matches the chain (events were rewritten or removed)";
            return r;
        }
        if (!verify_signature(signer_public_key_der, head_signature_digest(sig.seq, sig.hash), sig.signature)) {
            r.ok = false;
            r.first_broken_seq = sig.seq;
            r.problem = "the HSM signature over the chain head at this event does not verify";
            return r;
        }
        ++r.signatures_checked;
    }
    return r;
}

std::string unsigned_events_problem(const std::vector<StoredEvent>& events, const std::vector<HeadSignature>& signatures,
                                    std::int64_t now, std::int64_t max_age) {
    std::int64_t signed_up_to = 0;
    for (const HeadSignature& s : signatures) signed_up_to = std::max(signed_up_to, s.seq);
    for (const StoredEvent& e : events) {
        if (e.seq <= signed_up_to || e.event.time > now - max_age) continue;
        return "event " + std::to_string(e.seq) + " and those after it are not covered by any HSM head signature " +
               std::to_string(now - e.event.time) + " s after they were written (the head is signed at least every " +
               std::to_string(max_age) +
               " s): head signatures were removed, or the server stopped before signing — run `yunqian audit "
               "sign-head` only if you know the latter";
    }
    return "";
}

}  // namespace yq::audit
