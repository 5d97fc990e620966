// PostgreSQL backend over libpq: text parameters, bytea sent in binary, results in text form.
#include <libpq-fe.h>

#include <cstring>
#include <unordered_map>

#include "core/error.hpp"
#include "storage/database.hpp"

namespace yq::storage {

namespace {

constexpr Oid kBoolOid = 16, kByteaOid = 17, kInt8Oid = 20, kInt2Oid = 21, kInt4Oid = 23;

struct ResultFree {
    void operator()(PGresult* r) const noexcept { PQclear(r); }
};
using ResultPtr = std::unique_ptr<PGresult, ResultFree>;

[[noreturn]] void fail(PGconn* c, PGresult* r, const std::string& what) {
    const char* state = r ? PQresultErrorField(r, PG_DIAG_SQLSTATE) : nullptr;
    std::string msg = what + ": " + (r ? PQresultErrorMessage(r) : PQerrorMessage(c));
    std::string s = state ? state : "";
    if (s.rfind("23", 0) == 0) throw Error("db.constraint", 409, msg);
    if (s == "40001" || s == "40P01" || s == "55P03") throw Error("db.busy", 503, msg + " (try again)");
    if (s.rfind("08", 0) == 0 || PQstatus(c) != CONNECTION_OK) throw Error("db.unavailable", 503, msg);
    throw Error("db.error", 500, msg);
}

class PgConnection final : public Connection {
public:
    explicit PgConnection(const std::string& conninfo) : m_conn(PQconnectdb(conninfo.c_str())) {
        if (PQstatus(m_conn) != CONNECTION_OK) {
            std::string msg = PQerrorMessage(m_conn);
            PQfinish(m_conn);
            throw Error("db.unavailable", 503, "cannot connect to PostgreSQL: " + msg);
        }
        execute_script("SET client_min_messages = warning");
    }
    ~PgConnection() override { PQfinish(m_conn); }
    Backend backend() const override { return Backend::Postgres; }

    std::vector<Row> query(const std::string& sql, const std::vector<Value>& params) override {
        ResultPtr r = run(sql, params);
        if (PQresultStatus(r.get()) != PGRES_TUPLES_OK && PQresultStatus(r.get()) != PGRES_COMMAND_OK)
            fail(m_conn, r.get(), "query");
        std::vector<Row> rows;
        int n = PQntuples(r.get()), cols = PQnfields(r.get());
        rows.reserve(static_cast<std::size_t>(n));
        for (int i = 0; i < n; ++i) {
            std::vector<Value> values;
            values.reserve(static_cast<std::size_t>(cols));
            for (int c = 0; c < cols; ++c) {
                if (PQgetisnull(r.get(), i, c)) {
                    values.emplace_back(std::monostate{});
                    continue;
                }
                const char* text = PQgetvalue(r.get(), i, c);
                Oid type = PQftype(r.get(), c);
                if (type == kInt8Oid || type == kInt4Oid || type == kInt2Oid) {
                    values.emplace_back(static_cast<std::int64_t>(std::stoll(text)));
                } else if (type == kBoolOid) {
                    values.emplace_back(static_cast<std::int64_t>(text[0] == 't' ? 1 : 0));
                } else if (type == kByteaOid) {
                    std::size_t len = 0;
                    unsigned char* raw = PQunescapeBytea(reinterpret_cast<const unsigned char*>(text), &len);
                    values.emplace_back(core::Bytes(raw, raw + len));
                    PQfreemem(raw);
                } else {
                    values.emplace_back(std::string(text, static_cast<std::size_t>(PQgetlength(r.get(), i, c))));
                }
            }
            rows.emplace_back(std::move(values));
        }
        return rows;
    }

    std::int64_t execute(const std::string& sql, const std::vector<Value>& params) override {
        ResultPtr r = run(sql, params);
        if (PQresultStatus(r.get()) != PGRES_COMMAND_OK && PQresultStatus(r.get()) != PGRES_TUPLES_OK)
            fail(m_conn, r.get(), "execute");
        const char* n = PQcmdTuples(r.get());
        return (n && *n) ? std::stoll(n) : 0;
    }

    void execute_script(const std::string& sql) override {
        ResultPtr r(PQexec(m_conn, sql.c_str()));
        if (PQresultStatus(r.get()) != PGRES_COMMAND_OK && PQresultStatus(r.get()) != PGRES_TUPLES_OK)
            fail(m_conn, r.get(), "SQL script");
        // a script may change tables (migrations): statements prepared before it are planned again from scratch
        if (!m_prepared.empty()) {
            PQclear(PQexec(m_conn, "DEALLOCATE ALL"));
            m_prepared.clear();
        }
    }

    void begin() override { execute_script("BEGIN ISOLATION LEVEL READ COMMITTED"); }
    void commit() override { execute_script("COMMIT"); }
    void rollback() noexcept override {
        if (PQtransactionStatus(m_conn) != PQTRANS_IDLE) PQclear(PQexec(m_conn, "ROLLBACK"));
    }
    bool usable() const noexcept override { return PQstatus(m_conn) == CONNECTION_OK; }

private:
    ResultPtr run(const std::string& sql, const std::vector<Value>& params) {
        std::vector<std::string> texts(params.size());
        std::vector<const char*> values(params.size(), nullptr);
        std::vector<int> lengths(params.size(), 0), formats(params.size(), 0);
        for (std::size_t i = 0; i < params.size(); ++i) {
            const Value& v = params[i];
            if (auto p = std::get_if<std::int64_t>(&v)) {
                texts[i] = std::to_string(*p);
                values[i] = texts[i].c_str();
            } else if (auto s = std::get_if<std::string>(&v)) {
                values[i] = s->c_str();
            } else if (auto b = std::get_if<core::Bytes>(&v)) {
                values[i] = reinterpret_cast<const char*>(b->data());
                lengths[i] = static_cast<int>(b->size());
                formats[i] = 1;
                if (b->empty()) values[i] = "";
            } else if (auto view = std::get_if<BlobView>(&v)) {
                values[i] = view->size == 0 ? "" : reinterpret_cast<const char*>(view->data);
                lengths[i] = static_cast<int>(view->size);
                formats[i] = 1;
            }
        }
        const std::string* name = prepared(sql, static_cast<int>(params.size()));
        if (!name)
            return ResultPtr(PQexecParams(m_conn, sql.c_str(), static_cast<int>(params.size()), nullptr, values.data(),
                                          lengths.data(), formats.data(), 0));
        return ResultPtr(PQexecPrepared(m_conn, name->c_str(), static_cast<int>(params.size()), values.data(),
                                        lengths.data(), formats.data(), 0));
    }

    // Statements are prepared once per connection (#19), named by their order; nullptr when this one cannot be
    // (the cache is full, or the transaction has already failed and PQexecParams will say so). A statement PostgreSQL
    // refuses to prepare fails here with PostgreSQL's own error.
    static constexpr std::size_t kPreparedCacheSize = 512;
    const std::string* prepared(const std::string& sql, int n_params) {
        auto it = m_prepared.find(sql);
        if (it != m_prepared.end()) return &it->second;
        if (m_prepared.size() >= kPreparedCacheSize || PQtransactionStatus(m_conn) == PQTRANS_INERROR) return nullptr;
        std::string name = "yq_" + std::to_string(m_prepared.size() + 1);
        ResultPtr r(PQprepare(m_conn, name.c_str(), sql.c_str(), n_params, nullptr));
        if (PQresultStatus(r.get()) != PGRES_COMMAND_OK) fail(m_conn, r.get(), "prepare");
        return &(m_prepared[sql] = std::move(name));
    }

    PGconn* m_conn;
    std::unordered_map<std::string, std::string> m_prepared;
};

class PgDatabase final : public Database {
public:
    PgDatabase(std::string conninfo, int pool_size) : Database(pool_size), m_conninfo(std::move(conninfo)) {}
    Backend backend() const override { return Backend::Postgres; }

protected:
    std::unique_ptr<Connection> create_connection() override { return std::make_unique<PgConnection>(m_conninfo); }

private:
    std::string m_conninfo;
};

}  // namespace

std::unique_ptr<Database> open_postgres(const std::string& conninfo, int pool_size) {
    return std::make_unique<PgDatabase>(conninfo, pool_size);
}

}  // namespace yq::storage
