#pragma once
// At most `kdf.max_concurrent` Argon2id computations at once in this process (#19). Argon2id is CPU- and memory-bound
// on purpose (64 MiB each by default): running more at once than there are cores only adds their memory, so the server
// can have many workers for HSM and database work without 16 × 64 MiB of KDF memory at once. A waiting caller keeps
// its worker thread; the limit is process-wide because every Argon2id in the process draws on the same cores.
#include <condition_variable>
#include <mutex>

namespace yq::core {

class KdfSlots {
public:
    static KdfSlots& instance();
    void set_limit(int n);  // >= 1

    class Slot {
    public:
        explicit Slot(KdfSlots& slots);
        ~Slot();
        Slot(const Slot&) = delete;
        Slot& operator=(const Slot&) = delete;

    private:
        KdfSlots& m_slots;
    };

    int in_use();
    int peak();  // most slots held at once since start or since reset_peak() (tests, metrics)
    void reset_peak();

private:
    std::mutex m_mutex;
    std::condition_variable m_free;
    int m_limit = 2;
    int m_in_use = 0;
    int m_peak = 0;
};

}  // namespace yq::core
