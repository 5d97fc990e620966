#pragma once
// The log's signed tree head. The signed bytes are RFC 6962 §3.5's TreeHeadSignature structure (version v1 = 0,
// signature_type tree_hash = 1, uint64 timestamp in milliseconds, uint64 tree_size, the 32-byte root hash), and the
// signature is carried as TLS's DigitallySigned (RFC 5246 §4.7: hash algorithm sha256 = 4, signature algorithm
// rsa = 1 or ecdsa = 3, a two-byte length, the signature — DER for ECDSA), as CT v1 logs publish theirs, so tools
// that check a CT tree head check ours.
// Error style: throws yq::Error "transparency.bad_head" for a signature that is not a DigitallySigned structure.
#include <cstdint>

#include "core/bytes.hpp"

namespace yq::transparency {

struct SignedTreeHead {
    std::int64_t tree_size = 0;
    std::int64_t timestamp_ms = 0;
    core::Bytes root_hash;
    core::Bytes signature;  // DigitallySigned
};

// RFC 6962 §3.5: the bytes the log's key signs.
core::Bytes tree_head_signed_bytes(std::int64_t tree_size, std::int64_t timestamp_ms, const core::Bytes& root_hash);

// RFC 5246 §4.7 DigitallySigned around a raw signature made with SHA-256; `ecdsa` else RSA.
core::Bytes digitally_signed(bool ecdsa, const core::Bytes& signature);
// The raw signature inside; throws for anything but SHA-256 with RSA or ECDSA.
core::Bytes signature_in(const core::Bytes& digitally_signed);

// True when `head.signature` is a valid signature over the head by the key (SubjectPublicKeyInfo DER).
bool verify_tree_head(const SignedTreeHead& head, const core::Bytes& public_key_der);

}  // namespace yq::transparency
