// SQLite backend: WAL, synchronous=FULL, busy timeout, foreign keys (design: "SQLite (WAL, synchronous=FULL)").
#include <sqlite3.h>

#include <filesystem>
#include <unordered_map>

#include "core/error.hpp"
#include "storage/database.hpp"

namespace yq::storage {

namespace {

[[noreturn]] void fail(sqlite3* db, const std::string& what) {
    int code = sqlite3_extended_errcode(db);
    std::string msg = what + ": " + sqlite3_errmsg(db);
    if ((code & 0xff) == SQLITE_BUSY || (code & 0xff) == SQLITE_LOCKED)
        throw Error("db.busy", 503, msg + " (the database is busy; try again)");
    if ((code & 0xff) == SQLITE_CONSTRAINT) throw Error("db.constraint", 409, msg);
    // #17: the disk under the database is full — nothing was written; the operator frees space, clients try again
    if ((code & 0xff) == SQLITE_FULL)
        throw Error("db.full", 503, msg + " (no room to write the database: free disk space under it)");
    if ((code & 0xff) == SQLITE_IOERR)
        throw Error("db.io_error", 503, msg + " (the database could not be written: a full or failing disk)");
    throw Error("db.error", 500, msg);
}

class SqliteConnection final : public Connection {
public:
    SqliteConnection(const std::string& path, int busy_timeout_ms) {
        if (sqlite3_open_v2(path.c_str(), &m_db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX,
                            nullptr) != SQLITE_OK) {
            std::string msg = m_db ? sqlite3_errmsg(m_db) : "out of memory";
            sqlite3_close(m_db);
            throw Error("db.unavailable", 503, "cannot open SQLite database " + path + ": " + msg);
        }
        sqlite3_busy_timeout(m_db, busy_timeout_ms);
        execute_script("PRAGMA journal_mode=WAL; PRAGMA synchronous=FULL; PRAGMA foreign_keys=ON;");
    }
    ~SqliteConnection() override {
        for (auto& [sql, cached] : m_statements) sqlite3_finalize(cached.statement);
        sqlite3_close_v2(m_db);
    }

    Backend backend() const override { return Backend::Sqlite; }

    std::vector<Row> query(const std::string& sql, const std::vector<Value>& params) override {
        std::vector<Row> rows;
        query_each(sql, params, [&](const Row& r) { rows.push_back(r); });
        return rows;
    }

    void query_each(const std::string& sql, const std::vector<Value>& params,
                    const std::function<void(const Row&)>& fn) override {
        Statement st(*this, sql);
        bind(st.get(), params);
        Row row;
        for (;;) {
            int rc = sqlite3_step(st.get());
            if (rc == SQLITE_DONE) break;
            if (rc != SQLITE_ROW) fail(m_db, "query");
            auto n = static_cast<std::size_t>(sqlite3_column_count(st.get()));
            std::vector<Value>& values = row.values();
            values.resize(n);
            for (std::size_t i = 0; i < n; ++i) {
                int col = static_cast<int>(i);
                switch (sqlite3_column_type(st.get(), col)) {
                    case SQLITE_NULL: values[i] = std::monostate{}; break;
                    case SQLITE_INTEGER: values[i] = static_cast<std::int64_t>(sqlite3_column_int64(st.get(), col)); break;
                    case SQLITE_BLOB: {
                        auto p = static_cast<const std::uint8_t*>(sqlite3_column_blob(st.get(), col));
                        values[i] = core::Bytes(p, p + sqlite3_column_bytes(st.get(), col));
                        break;
                    }
                    default: {
                        auto p = reinterpret_cast<const char*>(sqlite3_column_text(st.get(), col));
                        std::size_t len = static_cast<std::size_t>(sqlite3_column_bytes(st.get(), col));
                        if (auto* s = std::get_if<std::string>(&values[i])) s->assign(p ? p : "", len);
                        else values[i] = std::string(p ? p : "", len);
                    }
                }
            }
            fn(row);
        }
    }

    std::int64_t execute(const std::string& sql, const std::vector<Value>& params) override {
        Statement st(*this, sql);
        bind(st.get(), params);
        int rc;
        while ((rc = sqlite3_step(st.get())) == SQLITE_ROW) {
        }
        if (rc != SQLITE_DONE) fail(m_db, "execute");
        return sqlite3_changes64(m_db);
    }

    void execute_script(const std::string& sql) override {
        char* err = nullptr;
        if (sqlite3_exec(m_db, sql.c_str(), nullptr, nullptr, &err) != SQLITE_OK) {
            std::string msg = err ? err : "unknown error";
            sqlite3_free(err);
            int code = sqlite3_extended_errcode(m_db) & 0xff;
            if (code == SQLITE_BUSY || code == SQLITE_LOCKED) throw Error("db.busy", 503, msg);
            if (code == SQLITE_CONSTRAINT) throw Error("db.constraint", 409, msg);
            throw Error("db.error", 500, "SQL script failed: " + msg);
        }
    }

    void begin() override { execute("BEGIN IMMEDIATE", {}); }
    void commit() override { execute("COMMIT", {}); }
    void rollback() noexcept override {
        if (!sqlite3_get_autocommit(m_db)) sqlite3_exec(m_db, "ROLLBACK", nullptr, nullptr, nullptr);
    }

private:
    // Prepared statements are kept per connection, keyed by their SQL (#19: parsing and planning was a tenth of a
    // signHash call). A statement already stepping (a query_each callback running another query with the same SQL on
    // this connection) gets a one-off copy. Reset and unbound after each use, so no read stays open.
    struct Cached {
        sqlite3_stmt* statement = nullptr;
        bool in_use = false;
    };
    static constexpr std::size_t kStatementCacheSize = 512;

    class Statement {
    public:
        Statement(SqliteConnection& c, const std::string& sql) : m_db(c.m_db) {
            auto it = c.m_statements.find(sql);
            if (it != c.m_statements.end() && !it->second.in_use) {
                m_cached = &it->second;
                m_st = m_cached->statement;
            } else {
                m_st = prepare(sql);
                if (it == c.m_statements.end() && c.m_statements.size() < kStatementCacheSize)
                    m_cached = &(c.m_statements[sql] = Cached{m_st, false});
            }
            if (m_cached) m_cached->in_use = true;
        }
        ~Statement() {
            if (!m_cached) {
                sqlite3_finalize(m_st);
                return;
            }
            sqlite3_reset(m_st);
            sqlite3_clear_bindings(m_st);
            m_cached->in_use = false;
        }
        Statement(const Statement&) = delete;
        Statement& operator=(const Statement&) = delete;
        sqlite3_stmt* get() const { return m_st; }

    private:
        sqlite3_stmt* prepare(const std::string& sql) {
            sqlite3_stmt* st = nullptr;
            if (sqlite3_prepare_v2(m_db, sql.c_str(), static_cast<int>(sql.size()), &st, nullptr) != SQLITE_OK) {
                sqlite3_finalize(st);
                fail(m_db, "prepare");
            }
            return st;
        }
        sqlite3* m_db;
        Cached* m_cached = nullptr;
        sqlite3_stmt* m_st = nullptr;
    };

    // SQLITE_STATIC: the values outlive every use of the statement (bound, stepped, then unbound in ~Statement), so
    // SQLite reads them where they are — no copy of a 53 MB CRL (#19).
    void bind(sqlite3_stmt* st, const std::vector<Value>& params) {
        for (std::size_t i = 0; i < params.size(); ++i) {
            std::string name = "$" + std::to_string(i + 1);
            int idx = sqlite3_bind_parameter_index(st, name.c_str());
            if (idx == 0) continue;  // parameter not used by this statement
            const Value& v = params[i];
            int rc = SQLITE_OK;
            if (std::holds_alternative<std::monostate>(v)) rc = sqlite3_bind_null(st, idx);
            else if (auto p = std::get_if<std::int64_t>(&v)) rc = sqlite3_bind_int64(st, idx, *p);
            else if (auto s = std::get_if<std::string>(&v))
                rc = sqlite3_bind_text64(st, idx, s->data(), s->size(), SQLITE_STATIC, SQLITE_UTF8);
            else if (auto b = std::get_if<core::Bytes>(&v))
                rc = sqlite3_bind_blob64(st, idx, b->empty() ? "" : static_cast<const void*>(b->data()), b->size(),
                                         SQLITE_STATIC);
            else if (auto view = std::get_if<BlobView>(&v))
                rc = sqlite3_bind_blob64(st, idx, view->size == 0 ? "" : static_cast<const void*>(view->data),
                                         view->size, SQLITE_STATIC);
            if (rc != SQLITE_OK) fail(m_db, "bind");
        }
    }

    sqlite3* m_db = nullptr;
    std::unordered_map<std::string, Cached> m_statements;
};

class SqliteDatabase final : public Database {
public:
    SqliteDatabase(std::string path, int busy_timeout_ms, int pool_size)
        : Database(pool_size), m_path(std::move(path)), m_busy_timeout_ms(busy_timeout_ms) {}
    Backend backend() const override { return Backend::Sqlite; }

protected:
    std::unique_ptr<Connection> create_connection() override {
        return std::make_unique<SqliteConnection>(m_path, m_busy_timeout_ms);
    }

private:
    std::string m_path;
    int m_busy_timeout_ms;
};

}  // namespace

std::unique_ptr<Database> open_sqlite(const std::string& path, int busy_timeout_ms, int pool_size) {
    auto parent = std::filesystem::path(path).parent_path();
    if (!parent.empty()) std::filesystem::create_directories(parent);
    return std::make_unique<SqliteDatabase>(path, busy_timeout_ms, pool_size);
}

}  // namespace yq::storage
