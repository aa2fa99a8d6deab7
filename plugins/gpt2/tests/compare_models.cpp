// gpt2_compare_models A B TOLERANCE : loads two model folders and prints the largest absolute
// difference between their weights (and the tensor it is in). Exit status 0 when it is at most
// TOLERANCE, 1 when it is larger or the shapes differ, 2 on a usage or read error. For the
// distributed training test: the ranks' final weights, and theirs against one process's.
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <exception>
#include <string>

#include "model.h"

int main(int argc, char** argv) {
  if (argc != 4) {
    std::fprintf(stderr, "usage: %s MODEL_A MODEL_B TOLERANCE\n", argv[0]);
    return 2;
  }
  try {
    auto a = textkit::gpt2::load_model(argv[1]);
    auto b = textkit::gpt2::load_model(argv[2]);
    const double tolerance = std::strtod(argv[3], nullptr);
    auto ta = a.tensors(), tb = b.tensors();
    if (ta.size() != tb.size()) {
      std::printf("different models: %zu and %zu tensors\n", ta.size(), tb.size());
      return 1;
    }
    double worst = 0;
    std::string where = "(none)";
    std::size_t values = 0;
    for (std::size_t i = 0; i < ta.size(); ++i) {
      const auto& x = *ta[i].data;
      const auto& y = *tb[i].data;
      if (ta[i].name != tb[i].name || x.size() != y.size()) {
        std::printf("different models: tensor %zu is %s of %zu values and %s of %zu\n", i,
                    ta[i].name.c_str(), x.size(), tb[i].name.c_str(), y.size());
        return 1;
      }
      for (std::size_t k = 0; k < x.size(); ++k) {
        const double d = std::fabs(static_cast<double>(x[k]) - static_cast<double>(y[k]));
        if (d > worst || std::isnan(d)) {
          worst = std::isnan(d) ? INFINITY : d;
          where = ta[i].name;
        }
      }
      values += x.size();
    }
    std::printf("%zu tensors, %zu values: largest difference %.3g in %s\n", ta.size(), values,
                worst, where.c_str());
    return worst <= tolerance ? 0 : 1;
  } catch (const std::exception& e) {
    std::fprintf(stderr, "gpt2_compare_models: %s\n", e.what());
    return 2;
  }
}
