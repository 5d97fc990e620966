#include "storage/database.hpp"

#include "core/error.hpp"

namespace yq::storage {

std::int64_t Row::integer(std::size_t i) const {
    const Value& v = m_values.at(i);
    if (auto p = std::get_if<std::int64_t>(&v)) return *p;
    if (auto s = std::get_if<std::string>(&v)) return std::stoll(*s);
    throw Error("db.type_mismatch", 500, "column " + std::to_string(i) + " is not an integer");
}

std::string Row::text(std::size_t i) const {
    const Value& v = m_values.at(i);
    if (auto s = std::get_if<std::string>(&v)) return *s;
    if (auto p = std::get_if<std::int64_t>(&v)) return std::to_string(*p);
    if (std::holds_alternative<std::monostate>(v)) return {};
    throw Error("db.type_mismatch", 500, "column " + std::to_string(i) + " is not text");
}

core::Bytes Row::blob(std::size_t i) const {
    const Value& v = m_values.at(i);
    if (auto b = std::get_if<core::Bytes>(&v)) return *b;
    if (auto s = std::get_if<std::string>(&v)) return core::Bytes(s->begin(), s->end());
    if (std::holds_alternative<std::monostate>(v)) return {};
    throw Error("db.type_mismatch", 500, "column " + std::to_string(i) + " is not a blob");
}

std::unique_ptr<Database> Database::open(const std::string& url, int busy_timeout_ms, int pool_size) {
    if (url.rfind("sqlite:", 0) == 0) return open_sqlite(url.substr(7), busy_timeout_ms, pool_size);
    if (url.rfind("postgresql://", 0) == 0 || url.rfind("postgres://", 0) == 0 || url.find('=') != std::string::npos)
        return open_postgres(url, pool_size);
    throw Error("config.invalid", 500, "database.url must start with sqlite: or postgresql://");
}

std::unique_ptr<Connection> Database::take() {
    {
        std::lock_guard lock(m_mutex);
        if (!m_idle.empty()) {
            auto c = std::move(m_idle.back());
            m_idle.pop_back();
            return c;
        }
    }
    return create_connection();
}

void Database::give_back(std::unique_ptr<Connection> c) {
    std::lock_guard lock(m_mutex);
    if (static_cast<int>(m_idle.size()) < m_pool_size) m_idle.push_back(std::move(c));
}

namespace {
// The transaction open on this thread, so that a nested transact()/with_connection() on the same Database joins it
// (one unit of work across several repositories, e.g. approving an application and opening the account).
struct OpenTransaction {
    const Database* db = nullptr;
    Connection* connection = nullptr;
};
thread_local OpenTransaction t_open;
}  // namespace

bool Database::in_transaction() const { return t_open.db == this; }

void Database::with_connection(const std::function<void(Connection&)>& fn) {
    if (t_open.db == this) return fn(*t_open.connection);
    auto c = take();
    fn(*c);  // on exception the connection is dropped, never returned half-used
    give_back(std::move(c));
}

void Database::transact(const std::function<void(Connection&)>& fn) {
    if (t_open.db == this) return fn(*t_open.connection);  // joins the outer transaction; it commits or rolls back
    auto c = take();
    c->begin();
    t_open = {this, c.get()};
    try {
        fn(*c);
        t_open = {};
        c->commit();
    } catch (...) {
        t_open = {};
        c->rollback();
        give_back(std::move(c));
        throw;
    }
    give_back(std::move(c));
}

}  // namespace yq::storage
