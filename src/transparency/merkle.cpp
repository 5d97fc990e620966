#include "transparency/merkle.hpp"

#include <bit>
#include <string>

#include "core/error.hpp"

namespace yq::transparency {

namespace {

constexpr std::uint8_t kLeafPrefix = 0x00;
constexpr std::uint8_t kNodePrefix = 0x01;

// RFC 9162 §2.1.1: "k is the largest power of two smaller than n" (n > 1).
std::int64_t split_point(std::int64_t n) {
    return static_cast<std::int64_t>(std::bit_floor(static_cast<std::uint64_t>(n - 1)));
}

bool is_power_of_two(std::int64_t n) { return n > 0 && std::has_single_bit(static_cast<std::uint64_t>(n)); }

[[noreturn]] void bad_range(const std::string& what) { throw_bad_input("transparency.bad_range", what); }

// MTH(D[begin:end]). Every range the RFC's recursions reach starts on a multiple of its left part's size, so a range
// whose length is a power of two is one stored node.
core::Bytes range_hash(std::int64_t begin, std::int64_t end, const NodeReader& read) {
    std::int64_t n = end - begin;
    if (is_power_of_two(n) && begin % n == 0) return read(std::countr_zero(static_cast<std::uint64_t>(n)), begin / n);
    std::int64_t k = split_point(n);
    return interior_hash(range_hash(begin, begin + k, read), range_hash(begin + k, end, read));
}

// PATH(m, D[begin:end]) of §2.1.3.1, m relative to begin.
void path(std::int64_t m, std::int64_t begin, std::int64_t end, const NodeReader& read, std::vector<core::Bytes>& out) {
    std::int64_t n = end - begin;
    if (n <= 1) return;
    std::int64_t k = split_point(n);
    if (m < k) {
        path(m, begin, begin + k, read, out);
        out.push_back(range_hash(begin + k, end, read));
    } else {
        path(m - k, begin + k, end, read, out);
        out.push_back(range_hash(begin, begin + k, read));
    }
}

// SUBPROOF(m, D[begin:end], b) of §2.1.4.1, m relative to begin.
void subproof(std::int64_t m, std::int64_t begin, std::int64_t end, bool whole, const NodeReader& read,
              std::vector<core::Bytes>& out) {
    std::int64_t n = end - begin;
    if (m == n) {
        if (!whole) out.push_back(range_hash(begin, end, read));
        return;
    }
    std::int64_t k = split_point(n);
    if (m <= k) {
        subproof(m, begin, begin + k, whole, read, out);
        out.push_back(range_hash(begin + k, end, read));
    } else {
        subproof(m - k, begin + k, end, false, read, out);
        out.push_back(range_hash(begin, begin + k, read));
    }
}

}  // namespace

core::Bytes leaf_hash(std::string_view leaf_data) {
    core::Bytes in;
    in.reserve(leaf_data.size() + 1);
    in.push_back(kLeafPrefix);
    in.insert(in.end(), leaf_data.begin(), leaf_data.end());
    return core::sha256(in);
}

core::Bytes interior_hash(const core::Bytes& left, const core::Bytes& right) {
    core::Bytes in;
    in.reserve(1 + left.size() + right.size());
    in.push_back(kNodePrefix);
    in.insert(in.end(), left.begin(), left.end());
    in.insert(in.end(), right.begin(), right.end());
    return core::sha256(in);
}

core::Bytes empty_tree_root() { return core::sha256(std::string_view()); }

std::vector<Node> nodes_completed_by(std::int64_t index, const core::Bytes& leaf, const NodeReader& read) {
    if (index < 0) bad_range("a leaf index is never negative");
    std::vector<Node> out{Node{0, index, leaf}};
    int level = 0;
    std::int64_t i = index;
    core::Bytes h = leaf;
    while (i % 2 == 1) {  // a right child completes its parent
        h = interior_hash(read(level, i - 1), h);
        ++level;
        i /= 2;
        out.push_back(Node{level, i, h});
    }
    return out;
}

core::Bytes tree_root(std::int64_t size, const NodeReader& read) {
    if (size < 0) bad_range("a tree size is never negative");
    if (size == 0) return empty_tree_root();
    return range_hash(0, size, read);
}

std::vector<core::Bytes> inclusion_proof(std::int64_t index, std::int64_t size, const NodeReader& read) {
    if (index < 0 || index >= size)
        bad_range("leaf " + std::to_string(index) + " is not in a tree of " + std::to_string(size) + " leaves");
    std::vector<core::Bytes> out;
    path(index, 0, size, read, out);
    return out;
}

std::vector<core::Bytes> consistency_proof(std::int64_t first, std::int64_t second, const NodeReader& read) {
    if (first < 0 || first > second)
        bad_range("a tree of " + std::to_string(first) + " leaves is not a prefix of one of " + std::to_string(second));
    std::vector<core::Bytes> out;
    if (first == 0 || first == second) return out;
    subproof(first, 0, second, true, read, out);
    return out;
}

bool verify_inclusion(const core::Bytes& leaf, std::int64_t index, std::int64_t size,
                      const std::vector<core::Bytes>& path, const core::Bytes& root) {
    if (index < 0 || index >= size) return false;
    std::uint64_t fn = static_cast<std::uint64_t>(index), sn = static_cast<std::uint64_t>(size - 1);
    core::Bytes r = leaf;
    for (const core::Bytes& p : path) {
        if (sn == 0) return false;
        if ((fn & 1) == 1 || fn == sn) {
            r = interior_hash(p, r);
            if ((fn & 1) == 0)
                while ((fn & 1) == 0 && fn != 0) {
                    fn >>= 1;
                    sn >>= 1;
                }
        } else {
            r = interior_hash(r, p);
        }
        fn >>= 1;
        sn >>= 1;
    }
    return sn == 0 && r == root;
}

bool verify_consistency(std::int64_t first, std::int64_t second, const core::Bytes& first_root,
                        const core::Bytes& second_root, const std::vector<core::Bytes>& path) {
    if (first < 0 || first > second) return false;
    if (first == 0) return path.empty();
    if (first == second) return path.empty() && first_root == second_root;
    if (path.empty()) return false;
    std::vector<core::Bytes> c;
    if (is_power_of_two(first)) c.push_back(first_root);  // step 2
    c.insert(c.end(), path.begin(), path.end());
    std::uint64_t fn = static_cast<std::uint64_t>(first - 1), sn = static_cast<std::uint64_t>(second - 1);
    while ((fn & 1) == 1) {  // step 4
        fn >>= 1;
        sn >>= 1;
    }
    core::Bytes fr = c[0], sr = c[0];
    for (std::size_t i = 1; i < c.size(); ++i) {
        if (sn == 0) return false;
        if ((fn & 1) == 1 || fn == sn) {
            fr = interior_hash(c[i], fr);
            sr = interior_hash(c[i], sr);
            if ((fn & 1) == 0)
                while ((fn & 1) == 0 && fn != 0) {
                    fn >>= 1;
                    sn >>= 1;
                }
        } else {
            sr = interior_hash(sr, c[i]);
        }
        fn >>= 1;
        sn >>= 1;
    }
    return fr == first_root && sr == second_root && sn == 0;
}

}  // namespace yq::transparency
