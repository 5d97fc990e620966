#include "custody/sad_key_cache.hpp"

#include <openssl/crypto.h>
#include <openssl/evp.h>

#include <algorithm>
#include <vector>

#include "core/error.hpp"

namespace yq::custody {

namespace {
constexpr std::string_view kProofLabel = "yunqian kept per-SAD key v1";
}

SadKeyCache::~SadKeyCache() {
    std::lock_guard lock(m_mutex);
    m_entries.clear();  // each Kept destroys its HSM object
}

core::Bytes SadKeyCache::proof(const std::string& sad_id, const core::SecureBytes& token_share,
                               const core::Bytes& row_share, const core::Bytes& sealed_key) {
    core::Bytes out(EVP_MAX_MD_SIZE);
    unsigned int len = 0;
    std::unique_ptr<EVP_MD_CTX, decltype(&EVP_MD_CTX_free)> ctx(EVP_MD_CTX_new(), EVP_MD_CTX_free);
    // each part with its length first, so that no two different inputs hash the same bytes
    auto part = [&](const void* data, std::size_t size) {
        std::uint64_t n = size;
        return EVP_DigestUpdate(ctx.get(), &n, sizeof n) == 1 && EVP_DigestUpdate(ctx.get(), data, size) == 1;
    };
    bool ok = ctx && EVP_DigestInit_ex(ctx.get(), EVP_sha256(), nullptr) == 1 &&
              part(kProofLabel.data(), kProofLabel.size()) && part(sad_id.data(), sad_id.size()) &&
              part(token_share.data(), token_share.size()) && part(row_share.data(), row_share.size()) &&
              part(sealed_key.data(), sealed_key.size()) && EVP_DigestFinal_ex(ctx.get(), out.data(), &len) == 1;
    if (!ok) throw Error("custody.crypto_failed", 500, "hashing the SAD's key shares failed");
    out.resize(len);
    return out;
}

std::shared_ptr<SadKeyCache::Kept> SadKeyCache::find(const std::string& sad_id, const core::Bytes& proof) {
    std::lock_guard lock(m_mutex);
    auto it = m_entries.find(sad_id);
    if (it == m_entries.end()) return nullptr;
    const core::Bytes& kept = it->second.proof;
    if (kept.size() != proof.size() || CRYPTO_memcmp(kept.data(), proof.data(), kept.size()) != 0) return nullptr;
    return it->second.key;
}

void SadKeyCache::keep(const std::string& sad_id, const core::Bytes& proof, std::shared_ptr<Kept> key,
                       std::int64_t expires_at) {
    if (!enabled()) return;
    std::shared_ptr<Kept> dropped;  // released after the lock, so the HSM call is not made under it
    {
        std::lock_guard lock(m_mutex);
        if (m_entries.size() >= m_capacity && !m_entries.count(sad_id)) {
            auto first = std::min_element(m_entries.begin(), m_entries.end(), [](const auto& a, const auto& b) {
                return a.second.expires_at < b.second.expires_at;
            });
            dropped = std::move(first->second.key);
            m_entries.erase(first);
        }
        Entry& e = m_entries[sad_id];
        if (e.key) dropped = std::move(e.key);
        e = Entry{proof, std::move(key), expires_at};
    }
}

void SadKeyCache::forget(const std::string& sad_id) {
    std::shared_ptr<Kept> dropped;
    std::lock_guard lock(m_mutex);
    auto it = m_entries.find(sad_id);
    if (it == m_entries.end()) return;
    dropped = std::move(it->second.key);
    m_entries.erase(it);
}

int SadKeyCache::forget_expired(std::int64_t now) {
    std::vector<std::shared_ptr<Kept>> dropped;
    {
        std::lock_guard lock(m_mutex);
        for (auto it = m_entries.begin(); it != m_entries.end();) {
            if (it->second.expires_at <= now) {
                dropped.push_back(std::move(it->second.key));
                it = m_entries.erase(it);
            } else {
                ++it;
            }
        }
    }
    return static_cast<int>(dropped.size());
}

std::size_t SadKeyCache::size() {
    std::lock_guard lock(m_mutex);
    return m_entries.size();
}

}  // namespace yq::custody
