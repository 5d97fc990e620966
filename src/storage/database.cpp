#include "storage/database.hpp"

#include <algorithm>

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
    if (!c->usable()) return;  // #17: a lost connection would fail every unit of work that took it from the pool
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

// One transact() call waiting in a group.
struct Database::Work {
    const std::function<void(Connection&)>* fn;
    std::exception_ptr error;
    bool done = false;
};

void Database::transact(const std::function<void(Connection&)>& fn) {
    if (t_open.db == this) return fn(*t_open.connection);  // joins the outer transaction; it commits or rolls back
    ++m_transactions;
    Work work{&fn, nullptr, false};
    std::unique_lock lock(m_group_mutex);
    m_waiting.push_back(&work);
    // Leader/follower: whoever finds no commit in progress takes everything waiting (its own work included) and runs
    // it as one group; the others sleep until their group is done.
    while (!work.done) {
        if (m_committing) {
            m_group_done.wait(lock);
            continue;
        }
        m_committing = true;
        std::vector<Work*> group;
        group.swap(m_waiting);
        lock.unlock();
        run_group(group);
        lock.lock();
        for (Work* w : group) w->done = true;
        m_committing = false;
        m_group_done.notify_all();
    }
    if (work.error) std::rethrow_exception(work.error);
}

void Database::run_group(const std::vector<Work*>& group) {
    auto fail_the_rest = [&](std::exception_ptr e) {
        for (Work* w : group)
            if (!w->error) w->error = e;
    };
    std::unique_ptr<Connection> c;
    try {
        c = take();
        c->begin();
        if (!m_first_statement.empty()) c->query(m_first_statement);
    } catch (...) {
        fail_the_rest(std::current_exception());
        return;
    }
    const bool alone = group.size() == 1;  // no savepoint needed: its failure rolls the transaction back
    std::size_t succeeded = 0;
    std::exception_ptr broken;  // the connection cannot be trusted any more: everything rolls back, it is dropped
    t_open = {this, c.get()};
    for (Work* w : group) {
        if (alone) {
            try {
                (*w->fn)(*c);
                ++succeeded;
            } catch (...) {
                w->error = std::current_exception();
            }
            break;
        }
        try {
            c->execute("SAVEPOINT yq_unit_of_work");
        } catch (...) {
            broken = std::current_exception();
            break;
        }
        try {
            (*w->fn)(*c);
            c->execute("RELEASE yq_unit_of_work");
            ++succeeded;
        } catch (...) {
            w->error = std::current_exception();
            try {
                c->execute("ROLLBACK TO yq_unit_of_work");  // this unit of work only; the others' writes stay
                c->execute("RELEASE yq_unit_of_work");
            } catch (...) {
                broken = std::current_exception();  // the others are told why the connection gave up, not w's error
                break;
            }
        }
    }
    t_open = {};
    if (broken) {
        c->rollback();
        fail_the_rest(broken);  // those that had succeeded are rolled back with the rest
        return;
    }
    if (succeeded == 0) {
        c->rollback();
        give_back(std::move(c));
        return;
    }
    try {
        c->commit();
    } catch (...) {
        c->rollback();
        fail_the_rest(std::current_exception());  // durable for none of them
        return;
    }
    ++m_commits;
    give_back(std::move(c));
}

void Database::lock_first_in_every_transaction(std::string sql) { m_first_statement = std::move(sql); }

Database::CommitStats Database::commit_stats() const { return CommitStats{m_transactions.load(), m_commits.load()}; }

std::size_t Database::waiting_transactions() {
    std::lock_guard lock(m_group_mutex);
    return m_waiting.size();
}

}  // namespace yq::storage
