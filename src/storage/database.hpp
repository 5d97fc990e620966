#pragma once
// A small SQL connection abstraction with two backends (SQLite, PostgreSQL). Only storage/ sees it; domain components
// talk to the repositories declared in their own headers. SQL uses $1, $2 … placeholders on both backends.
// Error style: throws yq::Error "db.*".
#include <atomic>
#include <condition_variable>
#include <cstdint>
#include <exception>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <variant>
#include <vector>

#include "core/bytes.hpp"

namespace yq::storage {

// A blob parameter read where it lies instead of being copied into the parameter list (#19: a million-entry CRL is
// 53 MB). The bytes must outlive the query or execute call it is passed to. Rows never hold one.
struct BlobView {
    const std::uint8_t* data = nullptr;
    std::size_t size = 0;
    explicit BlobView(const core::Bytes& b) : data(b.data()), size(b.size()) {}
};

using Value = std::variant<std::monostate, std::int64_t, std::string, core::Bytes, BlobView>;

class Row {
public:
    Row() = default;
    explicit Row(std::vector<Value> values) : m_values(std::move(values)) {}
    std::vector<Value>& values() { return m_values; }
    bool is_null(std::size_t i) const { return std::holds_alternative<std::monostate>(m_values.at(i)); }
    std::int64_t integer(std::size_t i) const;
    std::string text(std::size_t i) const;
    core::Bytes blob(std::size_t i) const;
    const Value& value(std::size_t i) const { return m_values.at(i); }
    std::optional<std::int64_t> optional_integer(std::size_t i) const {
        return is_null(i) ? std::nullopt : std::optional(integer(i));
    }

private:
    std::vector<Value> m_values;
};

enum class Backend { Sqlite, Postgres };

class Connection {
public:
    virtual ~Connection() = default;
    virtual Backend backend() const = 0;
    virtual std::vector<Row> query(const std::string& sql, const std::vector<Value>& params = {}) = 0;
    // Streams rows to `fn` without materialising the result (large reads such as CRL entries). The Row passed is
    // reused between calls.
    virtual void query_each(const std::string& sql, const std::vector<Value>& params,
                            const std::function<void(const Row&)>& fn) {
        for (const Row& r : query(sql, params)) fn(r);
    }
    // Returns the number of rows changed.
    virtual std::int64_t execute(const std::string& sql, const std::vector<Value>& params = {}) = 0;
    // Runs a multi-statement script (migrations).
    virtual void execute_script(const std::string& sql) = 0;
    // Write transaction: SQLite BEGIN IMMEDIATE (takes the write lock up front), PostgreSQL READ COMMITTED with row
    // locks taken by the statements themselves.
    virtual void begin() = 0;
    virtual void commit() = 0;
    virtual void rollback() noexcept = 0;
    // False once the connection is known to be lost (PostgreSQL restarted, the network cut): it is not pooled again.
    virtual bool usable() const noexcept { return true; }

    std::optional<Row> query_one(const std::string& sql, const std::vector<Value>& params = {}) {
        auto rows = query(sql, params);
        if (rows.empty()) return std::nullopt;
        return std::move(rows.front());
    }
};

class Database {
public:
    // "sqlite:PATH" or a PostgreSQL URL/conninfo ("postgresql://…", "host=… dbname=…").
    static std::unique_ptr<Database> open(const std::string& url, int busy_timeout_ms, int pool_size = 8);
    virtual ~Database() = default;
    virtual Backend backend() const = 0;

    // Borrow a pooled connection for autocommit reads.
    void with_connection(const std::function<void(Connection&)>& fn);
    // Runs fn inside one transaction; commits when fn returns, rolls back when it throws (and rethrows). Called while
    // this thread already has a transaction open on this Database, it joins that one (and so does with_connection).
    //
    // Group commit (#19): transactions that arrive while another commits wait and then run together, one after the
    // other, each in its own savepoint, inside one database transaction with one durable commit. Each still returns
    // only after its writes are durable, a failing one rolls back to its savepoint alone, and if the shared commit
    // fails every transaction in the group fails (nothing of any is stored). Running them in order on one connection
    // is what SQLite's single writer did anyway; on PostgreSQL every state change takes the audit chain's head row,
    // so the writers were serialised there too.
    void transact(const std::function<void(Connection&)>& fn);
    // True while this thread has a transaction open on this Database (a transact() call would join it).
    bool in_transaction() const;
    // A statement every transaction runs first (#17: on PostgreSQL, migrate() makes it take the audit chain's head
    // row, so that every node's transactions take it before any other row and cannot deadlock).
    void lock_first_in_every_transaction(std::string sql);

    struct CommitStats {
        std::uint64_t transactions = 0;  // transact() calls that opened a unit of work (not joined ones)
        std::uint64_t commits = 0;       // database transactions committed for them
    };
    CommitStats commit_stats() const;
    // Units of work waiting for the one in progress to commit (tests use it to line a group up).
    std::size_t waiting_transactions();

protected:
    virtual std::unique_ptr<Connection> create_connection() = 0;
    explicit Database(int pool_size) : m_pool_size(pool_size) {}

private:
    struct Work;
    std::unique_ptr<Connection> take();
    void give_back(std::unique_ptr<Connection> c);
    void run_group(const std::vector<Work*>& group);
    int m_pool_size;
    std::mutex m_mutex;
    std::vector<std::unique_ptr<Connection>> m_idle;
    std::mutex m_group_mutex;
    std::condition_variable m_group_done;
    std::vector<Work*> m_waiting;
    bool m_committing = false;
    std::atomic<std::uint64_t> m_transactions{0}, m_commits{0};
    std::string m_first_statement;  // set once at start-up, before any transaction
};

std::unique_ptr<Database> open_sqlite(const std::string& path, int busy_timeout_ms, int pool_size);
std::unique_ptr<Database> open_postgres(const std::string& conninfo, int pool_size);

}  // namespace yq::storage
