#include "core/kdf_slots.hpp"

#include <algorithm>

namespace yq::core {

KdfSlots& KdfSlots::instance() {
    static KdfSlots slots;
    return slots;
}

void KdfSlots::set_limit(int n) {
    std::lock_guard lock(m_mutex);
    m_limit = std::max(1, n);
    m_free.notify_all();
}

KdfSlots::Slot::Slot(KdfSlots& slots) : m_slots(slots) {
    std::unique_lock lock(slots.m_mutex);
    slots.m_free.wait(lock, [&] { return slots.m_in_use < slots.m_limit; });
    ++slots.m_in_use;
    slots.m_peak = std::max(slots.m_peak, slots.m_in_use);
}

KdfSlots::Slot::~Slot() {
    std::lock_guard lock(m_slots.m_mutex);
    --m_slots.m_in_use;
    m_slots.m_free.notify_one();
}

int KdfSlots::in_use() {
    std::lock_guard lock(m_mutex);
    return m_in_use;
}

int KdfSlots::peak() {
    std::lock_guard lock(m_mutex);
    return m_peak;
}

void KdfSlots::reset_peak() {
    std::lock_guard lock(m_mutex);
    m_peak = m_in_use;
}

}  // namespace yq::core
