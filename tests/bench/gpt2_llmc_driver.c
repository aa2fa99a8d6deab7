// Drives llm.c's CPU GPT-2 (train_gpt2.c, included below; not part of textkit) through the
// generation benchmark's task: a prompt of given token ids, then N new tokens, batch 1.
//
// llm.c has no key/value cache: its sampling loop (train_gpt2.c's main) calls gpt2_forward over
// the whole sequence for every new token. This driver does the same, in the form kindest to llm.c:
// each step recomputes only the tokens so far (rounded up to a multiple of 8, so matmul_forward
// takes its tiled path; causal attention makes the padding invisible to earlier positions) rather
// than the full fixed length train_gpt2.c's loop uses. Sampling is llm.c's own (softmax in
// gpt2_forward, sample_mult with its xorshift coin), or the argmax with --greedy.
//
// Build: cc -Ofast -march=native -fopenmp -I LLMC_DIR gpt2_llmc_driver.c -lm
// Usage: gpt2_llmc_driver CHECKPOINT.bin N_NEW OUT_IDS [--greedy] ID...   (OMP_NUM_THREADS sets
// the threads). Prints "llm.c: generated N tokens in S s (R tokens/s)" on stderr; the time covers
// the generation loop only (every forward pass and every sample), not loading the checkpoint.
#define main llmc_train_main
#include "train_gpt2.c"
#undef main

static double now_seconds(void) {
  struct timespec t;
  clock_gettime(CLOCK_MONOTONIC, &t);
  return (double)t.tv_sec + (double)t.tv_nsec / 1e9;
}

int main(int argc, char** argv) {
  if (argc < 5) {
    fprintf(stderr, "usage: %s CHECKPOINT.bin N_NEW OUT_IDS [--greedy] ID...\n", argv[0]);
    return 2;
  }
  const char* checkpoint = argv[1];
  const int n_new = atoi(argv[2]);
  const char* out_path = argv[3];
  int first_id = 4;
  int greedy = 0;
  if (strcmp(argv[4], "--greedy") == 0) {
    greedy = 1;
    first_id = 5;
  }
  const int n_prompt = argc - first_id;
  if (n_prompt < 1 || n_new < 1) {
    fprintf(stderr, "need at least one prompt id and one new token\n");
    return 2;
  }

  GPT2 model;
  gpt2_build_from_checkpoint(&model, checkpoint);
  const size_t V = model.config.vocab_size;
  const size_t Vp = model.config.padded_vocab_size;
  const int total = n_prompt + n_new;
  const int max_T = (total + 7) / 8 * 8;
  if (max_T > model.config.max_seq_len) {
    fprintf(stderr, "%d tokens do not fit the model's %d positions\n", max_T,
            model.config.max_seq_len);
    return 2;
  }
  int* tokens = (int*)mallocCheck((size_t)max_T * sizeof(int));
  for (int i = 0; i < max_T; i++) tokens[i] = 0;
  for (int i = 0; i < n_prompt; i++) tokens[i] = atoi(argv[first_id + i]);

  // Activations for the longest step, as gpt2_forward allocates them on its first call; later
  // calls with a shorter T use the front of each buffer.
  model.batch_size = 1;
  model.seq_len = max_T;
  fill_in_activation_sizes(model.act_sizes, model.config, 1, max_T);
  size_t num_activations = 0;
  for (size_t i = 0; i < NUM_ACTIVATION_TENSORS; i++) num_activations += model.act_sizes[i];
  model.num_activations = num_activations;
  model.acts_memory = malloc_and_point_activations(&model.acts, model.act_sizes);
  model.inputs = (int*)mallocCheck((size_t)max_T * sizeof(int));
  model.targets = (int*)mallocCheck((size_t)max_T * sizeof(int));

  uint64_t rng_state = 1337;
  const double start = now_seconds();
  for (int n = n_prompt; n < total; n++) {
    const int T = (n + 7) / 8 * 8;
    model.seq_len = T;
    gpt2_forward(&model, tokens, NULL, 1, T);
    float* probs = model.acts.probs + (size_t)(n - 1) * Vp;
    int next = 0;
    if (greedy) {
      for (size_t i = 1; i < V; i++) {
        if (probs[i] > probs[next]) next = (int)i;
      }
    } else {
      next = sample_mult(probs, (int)V, random_f32(&rng_state));
    }
    tokens[n] = next;
  }
  const double seconds = now_seconds() - start;
  fprintf(stderr, "llm.c: generated %d tokens in %.3f s (%.2f tokens/s)\n", n_new, seconds,
          n_new / seconds);

  FILE* out = fopenCheck(out_path, "w");
  for (int n = n_prompt; n < total; n++) fprintf(out, "%d\n", tokens[n]);
  fcloseCheck(out);
  free(tokens);
  gpt2_free(&model);
  return 0;
}
