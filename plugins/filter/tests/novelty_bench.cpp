// filter.novelty's index on its own, phase by phase (not a test: run by hand, see
// docs/plugins/filter.novelty.md, "Speed"):
//   novelty_bench REFERENCE.txt SAMPLES.txt [n] [near 0|1]
// Indexes the paragraphs of REFERENCE, then checks those of SAMPLES, and prints for each phase the
// paragraphs, bytes, CPU and wall time, and rates; then the index's size. CPU time (this process,
// which runs one thread) says more than wall time on a shared machine.
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <ctime>
#include <fstream>
#include <string>
#include <vector>

#include "reference_index.h"

namespace {

std::vector<std::string> paragraphs(const char* path) {
  std::ifstream in(path);
  if (!in) {
    std::fprintf(stderr, "novelty_bench: cannot read %s\n", path);
    std::exit(2);
  }
  std::vector<std::string> out;
  std::string line;
  std::string current;
  while (std::getline(in, line)) {
    if (line.empty()) {
      if (!current.empty()) out.push_back(std::move(current));
      current.clear();
      continue;
    }
    if (!current.empty()) current += '\n';
    current += line;
  }
  if (!current.empty()) out.push_back(std::move(current));
  return out;
}

struct phase_clock {
  std::clock_t cpu = std::clock();
  std::chrono::steady_clock::time_point wall = std::chrono::steady_clock::now();

  void report(const char* what, std::size_t records, std::size_t bytes) const {
    const double cpu_s = static_cast<double>(std::clock() - cpu) / CLOCKS_PER_SEC;
    const double wall_s =
        std::chrono::duration<double>(std::chrono::steady_clock::now() - wall).count();
    std::printf(
        "%s: %zu paragraphs, %.1f MB, %.2f s CPU (%.2f s wall): %.0f paragraphs/s, %.1f MB/s\n",
        what, records, static_cast<double>(bytes) / 1e6, cpu_s, wall_s,
        static_cast<double>(records) / cpu_s, static_cast<double>(bytes) / 1e6 / cpu_s);
  }
};

}  // namespace

int main(int argc, char** argv) {
  if (argc < 3) {
    std::fprintf(stderr, "usage: novelty_bench REFERENCE.txt SAMPLES.txt [n] [near 0|1]\n");
    return 2;
  }
  textkit::novelty::novelty_params params;
  if (argc > 3) params.n = std::stoi(argv[3]);
  if (argc > 4) params.near = std::stoi(argv[4]) != 0;
  const auto reference = paragraphs(argv[1]);
  const auto samples = paragraphs(argv[2]);
  textkit::novelty::reference_index index(params);
  std::size_t bytes = 0;
  const phase_clock indexing;
  for (const auto& p : reference) {
    index.add(p, "reference", 0);
    bytes += p.size();
  }
  indexing.report("index", reference.size(), bytes);
  bytes = 0;
  std::size_t copies = 0;
  const phase_clock checking;
  for (const auto& p : samples) {
    copies += index.check(p).copied() ? 1 : 0;
    bytes += p.size();
  }
  checking.report("check", samples.size(), bytes);
  std::printf("copies: %zu of %zu; index: %zu distinct %d-grams, %.1f MiB\n", copies,
              samples.size(), index.distinct_ngrams(), params.n,
              static_cast<double>(index.memory_bytes()) / 1048576.0);
  return 0;
}
