#include "pool.h"

#include <immintrin.h>

#include <atomic>
#include <condition_variable>
#include <mutex>
#include <thread>
#include <vector>

namespace repops {
namespace {

// Below this much work a dispatch costs more than it saves.
constexpr double kParallelWorkThreshold = 1 << 17;
constexpr int kMaxThreads = 64;
constexpr int kSpinIterations = 1 << 14;

struct Pool {
  std::vector<std::thread> workers;
  int nthreads = 1;
  std::mutex mu;
  std::condition_variable cv;
  std::atomic<unsigned long> generation{0};
  std::atomic<int> remaining{0};
  bool stopping = false;
  const std::function<void(int)>* job = nullptr;

  void worker_loop(int tid, unsigned long seen) {
    for (;;) {
      int spins = 0;
      while (generation.load(std::memory_order_acquire) == seen && spins < kSpinIterations) {
        _mm_pause();
        ++spins;
      }
      if (generation.load(std::memory_order_acquire) == seen) {
        std::unique_lock<std::mutex> lock(mu);
        cv.wait(lock, [&] { return stopping || generation.load(std::memory_order_acquire) != seen; });
      }
      {
        std::lock_guard<std::mutex> lock(mu);
        if (stopping) return;
      }
      seen = generation.load(std::memory_order_acquire);
      (*job)(tid);
      remaining.fetch_sub(1, std::memory_order_acq_rel);
    }
  }

  void start(int n) {
    nthreads = n;
    stopping = false;
    // Workers start from the current generation so they never re-run an earlier job.
    const unsigned long gen = generation.load(std::memory_order_acquire);
    for (int t = 1; t < n; ++t) workers.emplace_back([this, t, gen] { worker_loop(t, gen); });
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

  void run(const std::function<void(int)>& fn) {
    remaining.store(nthreads - 1, std::memory_order_release);
    {
      std::lock_guard<std::mutex> lock(mu);
      job = &fn;
      generation.fetch_add(1, std::memory_order_acq_rel);
    }
    cv.notify_all();
    fn(0);
    while (remaining.load(std::memory_order_acquire) != 0) _mm_pause();
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
  const int t = p.nthreads;
  if (!lock.owns_lock() || t <= 1 || n < 2 || work < kParallelWorkThreshold) {
    fn(0, n);
    return;
  }
  const std::size_t chunks = n < static_cast<std::size_t>(t) ? n : static_cast<std::size_t>(t);
  const std::function<void(int)> job = [&](int tid) {
    const std::size_t c = static_cast<std::size_t>(tid);
    if (c >= chunks) return;
    const std::size_t b = n * c / chunks, e = n * (c + 1) / chunks;
    if (b < e) fn(b, e);
  };
  p.run(job);
}

}  // namespace repops
