// The signing transparency log (#18) on SQLite: appending 1,000,000 leaves, and proof size and time as the tree grows
// (log2 growth), each next to its anchor in the same run.
//   - append, one leaf per transaction (as signing appends: with its audit event) vs the anchor: the same leaf row
//     (same table shape and indexes) and audit event inserted without the tree — the tree's own cost per signature;
//   - bulk append in transactions of 1,000 leaves to reach 1M vs the anchor: the same rows without the tree;
//   - inclusion and consistency proofs at 10^3 … 10^6 leaves: path length, reads and time, vs the anchor: one leaf read
//     by its primary key.
//   build/release/transparency_bench [--leaves N]
#include <benchmark/benchmark.h>

#include <chrono>
#include <cmath>
#include <cstdio>
#include <iostream>
#include <random>

#include "storage/audit_append.hpp"
#include "storage/transparency_log_store.hpp"
#include "support/fixtures.hpp"
#include "transparency/log_entry.hpp"

using namespace yq;

namespace {

std::int64_t g_leaves = 1000000;
constexpr int kSingles = 2000;
constexpr std::int64_t kBatch = 1000;

struct Setup {
    test::TempDir dir;
    std::unique_ptr<test::TestDatabase> database = std::make_unique<test::TestDatabase>(test::DbKind::Sqlite);
    storage::TransparencyLogStore log{database->db()};
    Setup() {
        database->db().transact([](storage::Connection& c) {
            c.execute("CREATE TABLE anchor_leaves (leaf_index BIGINT PRIMARY KEY, account_id TEXT NOT NULL, "
                      "leaf_data TEXT NOT NULL, leaf_hash BLOB NOT NULL)");
            // the same indexes as transparency_leaves: the anchor differs from the log by the tree alone
            c.execute("CREATE INDEX anchor_leaves_account ON anchor_leaves (account_id, leaf_index)");
            c.execute("CREATE INDEX anchor_leaves_hash ON anchor_leaves (leaf_hash)");
        });
    }
};
Setup* g = nullptr;

std::string leaf_text(std::int64_t i) {
    transparency::KeyUse use{"cred_0123456789abcdef", "5f1c0a9e3b7d", "2.16.840.1.101.3.4.2.1",
                             core::sha256(std::to_string(i)), 1764064800 + i, "csc/v2 signHash", "sad_0123456789abcdef"};
    return transparency::leaf_data(use);
}

audit::Event event() { return audit::Event{"csc:acct", "csc.signatures.created", "credential:cred", "{}", 1764064800}; }

double g_single_tree = 0, g_single_anchor = 0, g_bulk_tree = 0, g_bulk_anchor = 0;

void BM_AppendOneLeafPerTransaction(benchmark::State& state) {
    for (auto _ : state) {
        auto start = std::chrono::steady_clock::now();
        for (int i = 0; i < kSingles; ++i) g->log.append_leaves({transparency::new_leaf("acct", leaf_text(i))}, event());
        double s = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
        g_single_tree = kSingles / s;
        state.SetIterationTime(s);
    }
    state.counters["leaves_per_s"] = g_single_tree;
}

// The anchor: the same leaf row and audit event, durable, one transaction each — without the tree.
void BM_AnchorOneRowPerTransaction(benchmark::State& state) {
    for (auto _ : state) {
        auto start = std::chrono::steady_clock::now();
        for (int i = 0; i < kSingles; ++i)
            g->database->db().transact([&](storage::Connection& c) {
                std::string text = leaf_text(i);
                c.execute("INSERT INTO anchor_leaves (leaf_index, account_id, leaf_data, leaf_hash) VALUES ($1, $2, $3, $4)",
                          {static_cast<std::int64_t>(i), std::string("acct"), text, transparency::leaf_hash(text)});
                storage::append_audit_event(c, event());
            });
        double s = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
        g_single_anchor = kSingles / s;
        state.SetIterationTime(s);
    }
    state.counters["rows_per_s"] = g_single_anchor;
}

void BM_AppendToAMillionInBatches(benchmark::State& state) {
    for (auto _ : state) {
        std::int64_t have = g->log.tree_size();
        auto start = std::chrono::steady_clock::now();
        for (std::int64_t i = have; i < g_leaves; i += kBatch) {
            std::vector<transparency::NewLeaf> batch;
            for (std::int64_t j = i; j < std::min(i + kBatch, g_leaves); ++j) batch.push_back(transparency::new_leaf("acct", leaf_text(j)));
            g->log.append_leaves(batch, event());
        }
        double s = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
        g_bulk_tree = static_cast<double>(g_leaves - have) / s;
        state.SetIterationTime(s);
    }
    state.counters["leaves_per_s"] = g_bulk_tree;
}

void BM_AnchorMillionRowsInBatches(benchmark::State& state) {
    for (auto _ : state) {
        auto start = std::chrono::steady_clock::now();
        for (std::int64_t i = kSingles; i < g_leaves; i += kBatch)
            g->database->db().transact([&](storage::Connection& c) {
                for (std::int64_t j = i; j < std::min(i + kBatch, g_leaves); ++j) {
                    std::string text = leaf_text(j);
                    c.execute("INSERT INTO anchor_leaves (leaf_index, account_id, leaf_data, leaf_hash) VALUES ($1, $2, "
                              "$3, $4)",
                              {j, std::string("acct"), text, transparency::leaf_hash(text)});
                }
            });
        double s = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
        g_bulk_anchor = static_cast<double>(g_leaves - kSingles) / s;
        state.SetIterationTime(s);
    }
    state.counters["rows_per_s"] = g_bulk_anchor;
}

struct ProofFigures {
    std::int64_t size = 0;
    double inclusion_us = 0, consistency_us = 0, read_us = 0;
    double inclusion_len = 0, consistency_len = 0, inclusion_reads = 0;
};
std::vector<ProofFigures> g_proofs;

// Proofs in the tree of `size` leaves (the stored tree holds more: a proof for an older head reads the same nodes).
void BM_ProofsAtSize(benchmark::State& state) {
    const std::int64_t size = state.range(0);
    if (size > g->log.tree_size()) return state.SkipWithError("the log is smaller (see --leaves)");
    constexpr int kProofs = 500;
    std::mt19937_64 rng(42);
    ProofFigures f{size};
    for (auto _ : state) {
        g->log.read_tree([&](std::int64_t, const transparency::NodeReader& read) {
            int reads = 0;
            transparency::NodeReader counting = [&](int level, std::int64_t index) {
                ++reads;
                return read(level, index);
            };
            auto start = std::chrono::steady_clock::now();
            for (int i = 0; i < kProofs; ++i) {
                auto index = static_cast<std::int64_t>(rng() % static_cast<std::uint64_t>(size));
                f.inclusion_len += static_cast<double>(transparency::inclusion_proof(index, size, counting).size());
            }
            f.inclusion_us = std::chrono::duration<double, std::micro>(std::chrono::steady_clock::now() - start).count() / kProofs;
            f.inclusion_reads = static_cast<double>(reads) / kProofs;
            f.inclusion_len /= kProofs;
            start = std::chrono::steady_clock::now();
            for (int i = 0; i < kProofs; ++i) {
                auto first = 1 + static_cast<std::int64_t>(rng() % static_cast<std::uint64_t>(size - 1));
                f.consistency_len += static_cast<double>(transparency::consistency_proof(first, size, read).size());
            }
            f.consistency_us = std::chrono::duration<double, std::micro>(std::chrono::steady_clock::now() - start).count() / kProofs;
            f.consistency_len /= kProofs;
        });
        // the anchor: one leaf read by its primary key (a fresh connection each, as the proof's read_tree takes one)
        auto start = std::chrono::steady_clock::now();
        for (int i = 0; i < kProofs; ++i)
            benchmark::DoNotOptimize(g->log.leaf(static_cast<std::int64_t>(rng() % static_cast<std::uint64_t>(size))));
        f.read_us = std::chrono::duration<double, std::micro>(std::chrono::steady_clock::now() - start).count() / kProofs;
    }
    state.counters["inclusion_us"] = f.inclusion_us;
    state.counters["path_len"] = f.inclusion_len;
    g_proofs.push_back(f);
}

}  // namespace

BENCHMARK(BM_AppendOneLeafPerTransaction)->Iterations(1)->UseManualTime()->Unit(benchmark::kSecond);
BENCHMARK(BM_AnchorOneRowPerTransaction)->Iterations(1)->UseManualTime()->Unit(benchmark::kSecond);
BENCHMARK(BM_AppendToAMillionInBatches)->Iterations(1)->UseManualTime()->Unit(benchmark::kSecond);
BENCHMARK(BM_AnchorMillionRowsInBatches)->Iterations(1)->UseManualTime()->Unit(benchmark::kSecond);
BENCHMARK(BM_ProofsAtSize)->Iterations(1)->Arg(1000)->Arg(10000)->Arg(100000)->Arg(1000000)->Unit(benchmark::kMillisecond);

int main(int argc, char** argv) {
    for (int i = 1; i + 1 < argc; ++i)
        if (std::string(argv[i]) == "--leaves") g_leaves = std::stoll(argv[i + 1]);
    benchmark::Initialize(&argc, argv);
    Setup setup;
    g = &setup;
    benchmark::RunSpecifiedBenchmarks();
    std::printf("\nappend, one leaf per transaction: %.0f leaves/s vs %.0f rows/s without the tree = %.0f %%\n",
                g_single_tree, g_single_anchor, g_single_anchor > 0 ? 100 * g_single_tree / g_single_anchor : 0.0);
    std::printf("append to %lld leaves in transactions of %lld: %.0f leaves/s vs %.0f rows/s without the tree = %.0f %%\n",
                static_cast<long long>(g_leaves), static_cast<long long>(kBatch), g_bulk_tree, g_bulk_anchor,
                g_bulk_anchor > 0 ? 100 * g_bulk_tree / g_bulk_anchor : 0.0);
    std::printf("\n| leaves | log2 | inclusion path | node reads | inclusion proof | consistency path | consistency proof | "
                "one leaf read (anchor) | inclusion ÷ read |\n|---:|---:|---:|---:|---:|---:|---:|---:|---:|\n");
    for (const auto& f : g_proofs)
        std::printf("| %lld | %.1f | %.1f | %.1f | %.1f µs | %.1f | %.1f µs | %.1f µs | %.1f× |\n",
                    static_cast<long long>(f.size), std::log2(static_cast<double>(f.size)), f.inclusion_len,
                    f.inclusion_reads, f.inclusion_us, f.consistency_len, f.consistency_us, f.read_us,
                    f.read_us > 0 ? f.inclusion_us / f.read_us : 0.0);
    benchmark::Shutdown();
    return 0;
}
