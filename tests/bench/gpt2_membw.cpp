// gpt2_membw [MiB [sweeps [threads...]]]: the memory read bandwidth the generation benchmark
// divides by. Sums a float array far larger than the caches (default 1024 MiB) with 1 and 2 threads
// (or the given counts), each thread streaming its own contiguous half as the decoder's kernels
// stream their weight rows; prints one line per thread count:
//   membw threads=2 best=54.1 median=51.7 GB/s (1024 MiB, 7 sweeps)
// GB = 10^9 bytes. Build: c++ -O3 -march=native -fopenmp gpt2_membw.cpp
#include <omp.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <memory>
#include <vector>

namespace {

// Sixteen independent sums per thread, so the adds never wait on each other.
float sum_range(const float* x, std::size_t n) {
  constexpr std::size_t lanes = 64;
  float acc[lanes] = {};
  std::size_t i = 0;
  for (; i + lanes <= n; i += lanes) {
#pragma omp simd
    for (std::size_t j = 0; j < lanes; ++j) acc[j] += x[i + j];
  }
  float total = 0;
  for (; i < n; ++i) total += x[i];
  for (float a : acc) total += a;
  return total;
}

}  // namespace

int main(int argc, char** argv) {
  const std::size_t mib = argc > 1 ? std::strtoul(argv[1], nullptr, 10) : 1024;
  const int sweeps = argc > 2 ? std::atoi(argv[2]) : 7;
  std::vector<int> counts;
  for (int i = 3; i < argc; ++i) counts.push_back(std::atoi(argv[i]));
  if (counts.empty()) counts = {1, 2};
  const std::size_t n = mib * 1024 * 1024 / sizeof(float);
  const auto x = std::make_unique<float[]>(n);
  const int most = *std::max_element(counts.begin(), counts.end());
  // First touch by the threads that read, in the same split.
#pragma omp parallel num_threads(most)
  {
    const std::size_t t = static_cast<std::size_t>(omp_get_thread_num());
    const std::size_t k = static_cast<std::size_t>(omp_get_num_threads());
    for (std::size_t i = n * t / k; i < n * (t + 1) / k; ++i) x[i] = static_cast<float>(i % 7);
  }
  volatile float sink = 0;
  for (int threads : counts) {
    std::vector<double> rates;
    for (int s = 0; s < sweeps; ++s) {
      float total = 0;
      const auto start = std::chrono::steady_clock::now();
#pragma omp parallel num_threads(threads) reduction(+ : total)
      {
        const std::size_t t = static_cast<std::size_t>(omp_get_thread_num());
        const std::size_t k = static_cast<std::size_t>(omp_get_num_threads());
        const std::size_t begin = n * t / k;
        total += sum_range(x.get() + begin, n * (t + 1) / k - begin);
      }
      const double seconds =
          std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
      sink = sink + total;
      rates.push_back(static_cast<double>(n * sizeof(float)) / seconds / 1e9);
    }
    std::sort(rates.begin(), rates.end());
    std::printf("membw threads=%d best=%.1f median=%.1f GB/s (%zu MiB, %d sweeps)\n", threads,
                rates.back(), rates[rates.size() / 2], mib, sweeps);
  }
  return 0;
}
