// Drives llm.c's CPU GPT-2 training (train_gpt2.c, included below; not part of textkit) through
// the training benchmark's task: optimizer steps on batches of B windows of T tokens drawn from a
// token file, with llm.c's own forward, backward and AdamW (gpt2_update), as train_gpt2.c's main
// loop does them, timed per step the same way (CLOCK_MONOTONIC around forward to update).
//
// Build: cc -Ofast -march=native -fopenmp -I LLMC_DIR gpt2_llmc_train.c -lm
// Usage: gpt2_llmc_train CHECKPOINT.bin TOKENS.bin B T STEPS   (TOKENS.bin: uint16 ids, as
// nanoGPT's train.bin; OMP_NUM_THREADS sets the threads). Prints one line per step on stdout,
// "step N: loss L, S ms", then "llm.c: median step S ms, R tokens/s (steps 2..N)".
#define main llmc_train_main
#include "train_gpt2.c"
#undef main

static double now_seconds(void) {
  struct timespec t;
  clock_gettime(CLOCK_MONOTONIC, &t);
  return (double)t.tv_sec + (double)t.tv_nsec / 1e9;
}

static int compare_doubles(const void* a, const void* b) {
  const double x = *(const double*)a, y = *(const double*)b;
  return (x > y) - (x < y);
}

int main(int argc, char** argv) {
  if (argc != 6) {
    fprintf(stderr, "usage: %s CHECKPOINT.bin TOKENS.bin B T STEPS\n", argv[0]);
    return 2;
  }
  const int B = atoi(argv[3]), T = atoi(argv[4]), steps = atoi(argv[5]);
  if (B < 1 || T < 1 || steps < 2) {
    fprintf(stderr, "B and T must be positive, STEPS at least 2\n");
    return 2;
  }
  GPT2 model;
  gpt2_build_from_checkpoint(&model, argv[1]);
  if (T > model.config.max_seq_len) {
    fprintf(stderr, "T %d is more than the model's %d positions\n", T, model.config.max_seq_len);
    return 2;
  }

  FILE* f = fopenCheck(argv[2], "rb");
  fseekCheck(f, 0, SEEK_END);
  const long bytes = ftell(f);
  fseekCheck(f, 0, SEEK_SET);
  const size_t n = (size_t)bytes / sizeof(uint16_t);
  if (n < (size_t)T + 2) {
    fprintf(stderr, "%s holds %zu tokens: too few for windows of %d\n", argv[2], n, T);
    return 2;
  }
  uint16_t* ids = (uint16_t*)mallocCheck(n * sizeof(uint16_t));
  freadCheck(ids, sizeof(uint16_t), n, f);
  fcloseCheck(f);

  int* inputs = (int*)mallocCheck((size_t)B * T * sizeof(int));
  int* targets = (int*)mallocCheck((size_t)B * T * sizeof(int));
  double* times = (double*)mallocCheck((size_t)steps * sizeof(double));
  uint64_t rng = 1337;
  for (int step = 0; step < steps; step++) {
    // Random windows, as nanoGPT's get_batch and textkit draw them (llm.c's own loader reads
    // consecutive ones; the arithmetic is the same).
    for (int b = 0; b < B; b++) {
      const size_t start = (size_t)(random_u32(&rng) % (uint32_t)(n - (size_t)T - 1));
      for (int t = 0; t < T; t++) {
        inputs[b * T + t] = ids[start + (size_t)t];
        targets[b * T + t] = ids[start + (size_t)t + 1];
      }
    }
    const double began = now_seconds();
    gpt2_forward(&model, inputs, targets, (size_t)B, (size_t)T);
    gpt2_zero_grad(&model);
    gpt2_backward(&model);
    gpt2_update(&model, 1e-4f, 0.9f, 0.999f, 1e-8f, 0.0f, step + 1);
    times[step] = now_seconds() - began;
    printf("step %d: loss %f, %.1f ms\n", step + 1, model.mean_loss, times[step] * 1000);
    fflush(stdout);
  }
  // The first step allocates the activations and gradients: left out, as the other sides do.
  qsort(times + 1, (size_t)steps - 1, sizeof(double), compare_doubles);
  const int rest = steps - 1;
  const double median =
      rest % 2 ? times[1 + rest / 2] : (times[rest / 2] + times[1 + rest / 2]) / 2;
  printf("llm.c: median step %.1f ms, %.1f tokens/s (steps 2..%d)\n", median * 1000,
         (double)B * T / median, steps);
  free(times);
  free(targets);
  free(inputs);
  free(ids);
  gpt2_free(&model);
  return 0;
}
