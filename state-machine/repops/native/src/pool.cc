#include "pool.h"

#include <immintrin.h>
#include <sched.h>

#include <atomic>
#include <condition_variable>
#include <cstdint>
#include <mutex>
#include <thread>
#include <vector>

namespace repops {
namespace {

// Below this much work (≈ flops) a dispatch costs more than it saves.
constexpr double kParallelWorkThreshold = 1 << 20;
constexpr int kMaxThreads = 64;
constexpr int kSpinIterations = 1 << 12;
constexpr std::size_t kPartsPerThread = 4;

// A job is cut into `parts` contiguous ranges that any participant may claim. The claim ticket packs
// (generation, parts, next index) into one atomic word, so a worker that wakes late can never claim a
// range of a newer job by mistake, and the caller can run every range itself if the workers are
// descheduled (the machine is shared): results never depend on who ran which range.
struct Pool {
  std::vector<std::thread> workers;
  int nthreads = 1;
  std::mutex mu;
  std::condition_variable cv;
  std::atomic<std::uint64_t> ticket{0};  // gen:32 | parts:16 | next:16
  std::atomic<std::uint32_t> done{0};
  std::atomic<int> sleepers{0};
  bool stopping = false;
  // The current job (valid while a claimed range of its generation is unfinished).
  const std::function<void(std::size_t, std::size_t)>* fn = nullptr;
  std::size_t n = 0;

  static std::uint32_t gen_of(std::uint64_t t) { return static_cast<std::uint32_t>(t >> 32); }
  static std::uint32_t parts_of(std::uint64_t t) { return static_cast<std::uint32_t>((t >> 16) & 0xffff); }
  static std::uint32_t next_of(std::uint64_t t) { return static_cast<std::uint32_t>(t & 0xffff); }

  /** Claims and runs ranges of the job with generation g until none is left. */
  void help(std::uint32_t g) {
    for (;;) {
      std::uint64_t t = ticket.load(std::memory_order_acquire);
      if (gen_of(t) != g || next_of(t) >= parts_of(t)) return;
      if (!ticket.compare_exchange_weak(t, t + 1, std::memory_order_acq_rel)) continue;
      const std::size_t parts = parts_of(t), i = next_of(t);
      (*fn)(n * i / parts, n * (i + 1) / parts);
      done.fetch_add(1, std::memory_order_acq_rel);
    }
  }

  void worker_loop(std::uint32_t seen) {
    for (;;) {
      int spins = 0;
      while (gen_of(ticket.load(std::memory_order_acquire)) == seen && spins < kSpinIterations) {
        _mm_pause();
        ++spins;
      }
      {
        // sequentially consistent with run(): either run() sees this sleeper and notifies, or the
        // predicate below already sees the new generation
        std::unique_lock<std::mutex> lock(mu);
        sleepers.fetch_add(1);
        cv.wait(lock, [&] { return stopping || gen_of(ticket.load()) != seen; });
        sleepers.fetch_sub(1);
        if (stopping) return;
      }
      seen = gen_of(ticket.load(std::memory_order_acquire));
      help(seen);
    }
  }

  void start(int count) {
    nthreads = count;
    stopping = false;
    const std::uint32_t gen = gen_of(ticket.load(std::memory_order_acquire));
    for (int t = 1; t < count; ++t) workers.emplace_back([this, gen] { worker_loop(gen); });
  }

  void stop() {
    {
      std::lock_guard<std::mutex> lock(mu);
      stopping = true;
    }
    cv.notify_all();
    for (auto& w : workers) w.join();
    workers.clear();
    nthreads = 1;
  }

  void run(std::size_t count, std::size_t parts, const std::function<void(std::size_t, std::size_t)>& f) {
    fn = &f;
    n = count;
    done.store(0, std::memory_order_relaxed);
    const std::uint32_t g = gen_of(ticket.load(std::memory_order_relaxed)) + 1;
    ticket.store((static_cast<std::uint64_t>(g) << 32) | (static_cast<std::uint64_t>(parts) << 16));
    if (sleepers.load() > 0) {
      std::lock_guard<std::mutex> lock(mu);  // pairs with the sleepers' predicate check
      cv.notify_all();
    }
    help(g);
    // Wait for ranges other threads claimed; yield so a descheduled worker can finish on this core.
    int spins = 0;
    while (done.load(std::memory_order_acquire) != parts) {
      if (++spins < kSpinIterations) _mm_pause();
      else sched_yield();
    }
  }
};

Pool& pool() {
  static Pool* p = new Pool();  // never destroyed: workers may outlive static destructors at exit
  return *p;
}

std::mutex& dispatch_mutex() {
  static std::mutex* m = new std::mutex();
  return *m;
}

}  // namespace

int pool_set_threads(int n) {
  if (n < 1) n = 1;
  if (n > kMaxThreads) n = kMaxThreads;
  std::lock_guard<std::mutex> lock(dispatch_mutex());
  Pool& p = pool();
  if (p.nthreads != n) {
    p.stop();
    p.start(n);
  }
  return p.nthreads;
}

int pool_threads() { return pool().nthreads; }

void parallel_for(std::size_t n, double work, const std::function<void(std::size_t, std::size_t)>& fn) {
  if (n == 0) return;
  Pool& p = pool();
  std::unique_lock<std::mutex> lock(dispatch_mutex(), std::try_to_lock);
  const std::size_t t = static_cast<std::size_t>(p.nthreads);
  if (!lock.owns_lock() || t <= 1 || n < 2 || work < kParallelWorkThreshold) {
    fn(0, n);
    return;
  }
  std::size_t parts = t * kPartsPerThread;
  if (parts > n) parts = n;
  p.run(n, parts, fn);
}

}  // namespace repops
