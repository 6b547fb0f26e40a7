// A small persistent thread pool. Work is split into independent index ranges (rows, columns,
// batches); a floating-point sum is never split across threads, so the thread count changes speed
// only, never a result bit.
#pragma once
#include <cstddef>
#include <functional>

namespace repops {

/** Sets the number of threads (including the caller). Returns the number in effect. */
int pool_set_threads(int n);
int pool_threads();

/**
 * Runs fn(begin, end) over [0, n) split into contiguous chunks, one per thread. Runs inline when
 * `work` (a rough count of flops or bytes) is below the threshold, or when the pool is busy
 * (e.g. a second JS thread is using it).
 */
void parallel_for(std::size_t n, double work, const std::function<void(std::size_t, std::size_t)>& fn);

}  // namespace repops
