// Training: the loss falls, phases train the labels they name for their steps, an interrupted run
// resumed from its checkpoint ends where an uninterrupted one does, and checkpoints reload bit for
// bit. Tiny models (2 layers, 32 wide) on synthetic token streams, one thread, a few seconds.
#include <catch2/catch.hpp>
#include <cmath>
#include <fstream>
#include <map>

#include "model.h"
#include "safetensors.h"
#include "sampling.h"
#include "textkit/error.h"
#include "trainer.h"

namespace fs = std::filesystem;
using namespace textkit::gpt2;

namespace {

fs::path work_dir(const std::string& name) {
  auto dir = fs::path(GPT2_TEST_WORK_DIR) / name;
  fs::remove_all(dir);
  fs::create_directories(dir);
  return dir;
}

model tiny_model(int vocab = 40, int positions = 32) {
  config cfg;
  cfg.n_layer = 2;
  cfg.n_head = 2;
  cfg.n_embd = 32;
  cfg.n_positions = positions;
  cfg.vocab_size = vocab;
  return model::random(cfg, 11);
}

// Documents that repeat a short pattern of ids from [first, first + period): easy to learn.
std::vector<std::vector<std::int32_t>> pattern_docs(int docs, int length, int first, int period) {
  std::vector<std::vector<std::int32_t>> out;
  for (int d = 0; d < docs; ++d) {
    auto& doc = out.emplace_back();
    for (int i = 0; i < length; ++i) doc.push_back(first + (i * 7 + d) % period);
  }
  return out;
}

std::vector<label_tokens> two_labels() {
  return {split_label("admired", pattern_docs(8, 60, 0, 16), 39, 0.25),
          split_label("mine", pattern_docs(4, 60, 16, 20), 39, 0.25)};
}

train_settings quick(std::vector<train_phase> phases) {
  train_settings s;
  s.phases = std::move(phases);
  s.block_size = 16;
  s.batch_size = 4;
  s.learning_rate = 3e-3;
  s.warmup = 0.1;
  s.threads = 1;
  s.log_every = 0;
  s.eval_windows = 4;
  return s;
}

std::vector<std::vector<float>> weights_of(model& m) {
  std::vector<std::vector<float>> out;
  for (auto& ref : m.tensors()) out.push_back(*ref.data);
  return out;
}

std::string error_of(const std::function<void()>& action) {
  try {
    action();
  } catch (const textkit::error& e) {
    return e.what();
  }
  return "(no error)";
}

struct killed {};

}  // namespace

TEST_CASE("split_label holds out the last documents, or a single document's tail", "[train]") {
  const auto three = split_label("a", {{1, 2}, {3}, {4, 5}}, 9, 0.34);
  CHECK(three.train == std::vector<std::int32_t>{1, 2, 9, 3});
  CHECK(three.validation == std::vector<std::int32_t>{4, 5});
  const auto one = split_label("b", {{1, 2, 3, 4, 5, 6, 7, 8, 9, 10}}, 0, 0.2);
  CHECK(one.train == std::vector<std::int32_t>{1, 2, 3, 4, 5, 6, 7, 8});
  CHECK(one.validation == std::vector<std::int32_t>{9, 10});
  const auto none = split_label("c", {{1}, {2}}, 7, 0.0);
  CHECK(none.train == std::vector<std::int32_t>{1, 7, 2});
  CHECK(none.validation.empty());
}

TEST_CASE("adamw_update matches AdamW's formula", "[train]") {
  std::vector<float> p{1.0f, -2.0f, 0.5f}, g{0.1f, -0.3f, 2.0f}, m(3, 0.0f), v(3, 0.0f);
  const double lr = 0.01, b1 = 0.9, b2 = 0.95, eps = 1e-8, wd = 0.1;
  auto expected = p;
  std::vector<double> em(3, 0), ev(3, 0);
  for (int step = 1; step <= 3; ++step) {
    adamw_update(p.data(), g.data(), m.data(), v.data(), 3, lr, b1, b2, eps, wd, step, 0.5f);
    for (std::size_t i = 0; i < 3; ++i) {
      const double grad = g[i] * 0.5;
      em[i] = b1 * em[i] + (1 - b1) * grad;
      ev[i] = b2 * ev[i] + (1 - b2) * grad * grad;
      const double m_hat = em[i] / (1 - std::pow(b1, step));
      const double v_hat = ev[i] / (1 - std::pow(b2, step));
      expected[i] =
          static_cast<float>(expected[i] * (1 - lr * wd) - lr * m_hat / (std::sqrt(v_hat) + eps));
    }
  }
  for (std::size_t i = 0; i < 3; ++i) CHECK(p[i] == Approx(expected[i]).epsilon(1e-5));
}

TEST_CASE("the loss falls on a tiny corpus", "[train]") {
  const auto dir = work_dir("train_loss");
  auto m = tiny_model();
  const auto data = two_labels();
  auto s = quick({{{"admired", "mine"}, {}, 60}});
  const auto result = train(m, data, s, dir, {});
  for (const auto& label : {"admired", "mine"}) {
    INFO(label);
    CHECK(result.start.at(label).train > 3.0);  // about ln(40) at random
    CHECK(result.end.at(label).train < result.start.at(label).train - 1.5);
    CHECK(result.end.at(label).validation < result.start.at(label).validation - 1.0);
  }
  CHECK(result.steps_done == 60);
  CHECK(fs::exists(dir / "model.safetensors"));
  CHECK(fs::exists(dir / training_state_file));
}

TEST_CASE("phases train the labels they name for their steps", "[train]") {
  const auto data = two_labels();
  SECTION("in sequence") {
    auto m = tiny_model();
    auto s = quick({{{"admired"}, {}, 5}, {{"mine"}, {}, 3}});
    s.batch_size = 2;
    s.grad_accumulation = 2;
    const auto result = train(m, data, s, work_dir("train_phases"), {});
    CHECK(result.steps_done == 8);
    CHECK(result.steps_per_label.at("admired") == 5 * 2 * 2);
    CHECK(result.steps_per_label.at("mine") == 3 * 2 * 2);
  }
  SECTION("weighted mix") {
    auto m = tiny_model();
    auto s = quick({{{"admired", "mine"}, {1.0, 3.0}, 50}});
    const auto result = train(m, data, s, work_dir("train_mix"), {});
    const auto a = result.steps_per_label.at("admired"), b = result.steps_per_label.at("mine");
    CHECK(a + b == 200);
    CHECK(b > 2 * a);  // 3:1 expected
  }
  SECTION("a phase naming a label no record has, a block larger than the model") {
    auto m = tiny_model();
    CHECK_THAT(error_of([&] {
                 train(m, data, quick({{{"others"}, {}, 5}}), work_dir("x"), {});
               }),
               Catch::Contains("no records have the label \"others\""));
    auto s = quick({{{"mine"}, {}, 5}});
    s.block_size = 64;
    CHECK_THAT(error_of([&] { train(m, data, s, work_dir("x"), {}); }),
               Catch::Contains("block_size 64 is larger than the model's 32 positions"));
  }
}

TEST_CASE("a run resumed from its checkpoint ends where an uninterrupted run does", "[train]") {
  const auto data = two_labels();
  auto s = quick({{{"admired"}, {}, 6}, {{"mine"}, {}, 4}});
  s.save_every = 3;

  auto whole = tiny_model();
  const auto whole_dir = work_dir("train_whole");
  train(whole, data, s, whole_dir, {});

  const auto cut_dir = work_dir("train_cut");
  {
    auto first = tiny_model();
    train_hooks hooks;
    hooks.after_checkpoint = [](std::int64_t step) {
      if (step == 6) throw killed{};  // as if killed right after the checkpoint at step 6
    };
    CHECK_THROWS_AS(train(first, data, s, cut_dir, hooks), killed);
  }
  // The folder holds the checkpoint of step 6, loadable as a model.
  auto at_six = load_model(cut_dir);
  CHECK(safetensors_file::open(cut_dir / training_state_file).metadata().at("step") == "6");

  auto second = tiny_model();  // fresh weights: the checkpoint's replace them
  const auto result = train(second, data, s, cut_dir, {});
  CHECK(result.resumed_from == 6);
  CHECK(result.steps_done == 4);
  CHECK(result.steps_per_label.at("admired") == 0);
  CHECK(weights_of(second) == weights_of(whole));
  auto reloaded = load_model(cut_dir);
  CHECK(weights_of(reloaded) == weights_of(whole));
  CHECK(weights_of(at_six) != weights_of(whole));

  SECTION("other settings are refused, restart starts over") {
    auto changed = s;
    changed.learning_rate = 1e-2;
    auto m = tiny_model();
    CHECK_THAT(error_of([&] { train(m, data, changed, cut_dir, {}); }),
               Catch::Contains("other settings (learning_rate)"));
    changed.restart = true;
    CHECK(train(m, data, changed, cut_dir, {}).resumed_from == 0);
  }
}

TEST_CASE("a checkpoint reloads bit-identically", "[train]") {
  const auto dir = work_dir("train_reload");
  auto m = tiny_model();
  train(m, two_labels(), quick({{{"mine"}, {}, 4}}), dir, {});
  auto loaded = load_model(dir);
  CHECK(loaded.cfg.n_layer == 2);
  CHECK(weights_of(loaded) == weights_of(m));
  // Saved again, the model file is the same bytes.
  const auto again = work_dir("train_reload_again");
  save_model(loaded, again);
  auto bytes = [](const fs::path& p) {
    std::ifstream in(p, std::ios::binary);
    return std::string(std::istreambuf_iterator<char>(in), {});
  };
  CHECK(bytes(dir / "model.safetensors") == bytes(again / "model.safetensors"));
}

TEST_CASE("samples during training come from the weights of that step", "[train]") {
  const auto data = two_labels();
  auto s = quick({{{"admired"}, {}, 6}, {{"mine"}, {}, 4}});
  s.save_every = 3;
  s.sample_every = 3;
  sample_request request;
  request.prompt = {39};
  request.count = 2;
  request.max_tokens = 12;
  request.sample.temperature = 1.0;
  request.seed = 4;

  std::map<std::int64_t, std::vector<std::vector<std::int32_t>>> samples;
  train_hooks hooks;
  hooks.sample = [&](std::int64_t step, const model& at) {
    samples[step] = sample_tokens(at, request);
  };
  auto m = tiny_model();
  const auto dir = work_dir("train_samples");
  train(m, data, s, dir, hooks);
  // Every 3 steps, and at the last.
  CHECK(samples.size() == 4);
  CHECK(samples.contains(3));
  CHECK(samples.contains(9));
  REQUIRE(samples.contains(10));
  CHECK(samples.at(10) == sample_tokens(load_model(dir), request));
  CHECK(samples.at(3) != samples.at(10));

  // The checkpoint of step 3 of the same run (killed right after it) samples what step 3 showed.
  const auto cut_dir = work_dir("train_samples_cut");
  auto other = tiny_model();
  train_hooks kill;
  kill.after_checkpoint = [](std::int64_t step) {
    if (step == 3) throw killed{};
  };
  CHECK_THROWS_AS(train(other, data, s, cut_dir, kill), killed);
  CHECK(samples.at(3) == sample_tokens(load_model(cut_dir), request));
}
