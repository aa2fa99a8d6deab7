# End-to-end checks of gpt2.train through the textkit executable, on two small texts of the samples
# corpus labelled "admired" and "mine":
#   cmake -DTEXTKIT=<exe> -DMODEL=<tiny model folder> -DWORK_DIR=<scratch> -DCORPUS=<corpora/samples/text>
#         -DCHECK=<scratch|errors> -P train_checks.cmake
cmake_minimum_required(VERSION 3.22)
file(REMOVE_RECURSE "${WORK_DIR}")
file(MAKE_DIRECTORY "${WORK_DIR}")

# run(<name> <expected exit> <gpt2.train with-json> [extra textkit arguments]): the records of two
# files, each with its label, into gpt2.train; sets <name>_err.
function(run name expect_exit with)
  file(WRITE "${WORK_DIR}/${name}.json" "{\"textkit\": 1, \"steps\": [
    {\"use\": \"read.txt\", \"with\": {\"path\": \"${CORPUS}/blog-learning-to-run.txt\", \"split\": \"paragraph\", \"label\": \"admired\"}},
    {\"use\": \"read.txt\", \"with\": {\"path\": \"${CORPUS}/diary-2019-11-03.txt\", \"split\": \"paragraph\", \"label\": \"mine\"}},
    {\"use\": \"gpt2.train\", \"with\": ${with}}]}")
  execute_process(COMMAND "${TEXTKIT}" run "${WORK_DIR}/${name}.json" --progress none ${ARGN}
    WORKING_DIRECTORY "${WORK_DIR}" RESULT_VARIABLE code OUTPUT_VARIABLE out ERROR_VARIABLE err)
  if(NOT code STREQUAL expect_exit)
    message(FATAL_ERROR "${name}: exit ${code}, expected ${expect_exit}\n${err}")
  endif()
  set(${name}_err "${err}" PARENT_SCOPE)
endfunction()

# expect_match(<what> <text> <regex>): the text (a value, which may hold ; and parentheses) matches.
function(expect_match what text regex)
  if(NOT "${text}" MATCHES "${regex}")
    message(FATAL_ERROR "${CHECK}: expected ${what}; got:\n${text}")
  endif()
endfunction()

# jsonl_lines(<var> <file>): the file's lines as a list (';', '[' and ']', which lists treat
# specially, become ',', '(' and ')'; the JSON stays valid as long as they sit inside strings).
function(jsonl_lines var file)
  file(READ "${file}" content)
  string(REPLACE ";" "," content "${content}")
  string(REPLACE "[" "(" content "${content}")
  string(REPLACE "]" ")" content "${content}")
  string(REGEX REPLACE "\n$" "" content "${content}")
  string(REPLACE "\n" ";" content "${content}")
  set(${var} "${content}" PARENT_SCOPE)
endfunction()

function(expect condition_text)
  if(NOT (${ARGN}))
    message(FATAL_ERROR "${CHECK}: expected ${condition_text}")
  endif()
endfunction()

if(CHECK STREQUAL "scratch")
  # From scratch with a BPE trained on the records, two phases, a checkpoint in the middle.
  set(with "{\"path\": \"out/model\", \"init\": {\"n_layer\": 2, \"n_head\": 2, \"n_embd\": 32, \"block_size\": 32, \"vocab_size\": 320},
    \"phases\": [{\"label\": \"admired\", \"steps\": 6}, {\"label\": \"mine\", \"steps\": 4}],
    \"batch_size\": 2, \"save_every\": 5, \"log_every\": 5, \"threads\": 1,
    \"sample_every\": 5, \"sample_count\": 2, \"sample_tokens\": 8, \"sample_prompt\": \"I run\"}")
  run(first 0 "${with}")
  expect_match("step lines with the phase's label" "${first_err}" "step 5/10 \\[admired\\]: loss [0-9.]+.*step 10/10 \\[mine\\]")
  expect_match("losses per label" "${first_err}" "loss per label.* admired [0-9.]+ / [0-9.]+ -> [0-9.]+ / [0-9.]+; mine")
  expect_match("10 steps trained" "${first_err}" "trained 10 steps \\(")
  foreach(file config.json model.safetensors vocab.json merges.txt training_state.safetensors)
    expect("out/model/${file}" EXISTS "${WORK_DIR}/out/model/${file}")
  endforeach()
  file(READ "${WORK_DIR}/out/model/config.json" config)
  string(JSON vocab GET "${config}" vocab_size)
  string(JSON positions GET "${config}" n_positions)
  expect("vocab_size 320, got ${vocab}" vocab EQUAL 320)
  expect("n_positions 32, got ${positions}" positions EQUAL 32)

  # Samples during training: on stderr, and into samples.jsonl with their step.
  expect_match("samples at steps 5 and 10" "${first_err}" "step 5 sample 1: I run.*step 5 sample 2: I run.*step 10 sample 2: I run")
  jsonl_lines(sample_lines "${WORK_DIR}/out/model/samples.jsonl")
  list(LENGTH sample_lines sample_count)
  expect("4 lines in samples.jsonl, got ${sample_count}" sample_count EQUAL 4)
  set(steps "")
  foreach(line IN LISTS sample_lines)
    string(JSON step GET "${line}" meta step)
    string(JSON temperature GET "${line}" meta settings temperature)
    string(JSON text GET "${line}" text)
    expect_match("a sample continuing the prompt" "${text}" "^I run")
    expect("temperature 0.8 in meta, got ${temperature}" temperature EQUAL 0.8)
    list(APPEND steps ${step})
  endforeach()
  string(JOIN "," steps ${steps})
  expect("samples of steps 5,5,10,10, got ${steps}" steps STREQUAL "5,5,10,10")
  file(READ "${WORK_DIR}/out/model/samples.jsonl" first_samples)

  # The folder is a model gpt2.generate loads.
  file(WRITE "${WORK_DIR}/generate.json" "{\"textkit\": 1, \"steps\": [
    {\"use\": \"gpt2.generate\", \"with\": {\"model\": \"out/model\", \"prompt\": \"I run\", \"max_tokens\": 8, \"seed\": 1}},
    {\"use\": \"write.jsonl\", \"with\": {\"path\": \"out/samples.jsonl\"}}]}")
  execute_process(COMMAND "${TEXTKIT}" run "${WORK_DIR}/generate.json" --progress none
    RESULT_VARIABLE code ERROR_VARIABLE err)
  expect("gpt2.generate on the trained model: ${err}" code EQUAL 0)

  # The same pipeline again finds the finished checkpoint; other settings are refused; restart.
  run(again 0 "${with}")
  expect_match("nothing left to train" "${again_err}" "trained 0 steps from the checkpoint at step 10")
  file(READ "${WORK_DIR}/out/model/samples.jsonl" again_samples)
  expect("samples.jsonl unchanged by a run with nothing to train" first_samples STREQUAL again_samples)
  run(changed 1 "${with}" --set 2.learning_rate=0.01)
  expect_match("the changed setting named" "${changed_err}" "other settings \\(learning_rate\\); set restart: true")
  run(restarted 0 "${with}" --set 2.learning_rate=0.01 --set 2.restart=true)
  expect_match("a fresh run" "${restarted_err}" "trained 10 steps \\(")
  jsonl_lines(sample_lines "${WORK_DIR}/out/model/samples.jsonl")
  list(LENGTH sample_lines sample_count)
  expect("a restart's samples.jsonl holds its 4 samples only, got ${sample_count}" sample_count EQUAL 4)
elseif(CHECK STREQUAL "errors")
  set(shape "\"init\": {\"n_layer\": 1, \"n_head\": 1, \"n_embd\": 8, \"block_size\": 16, \"vocab_size\": 300}")
  run(missing 1 "{\"path\": \"out/missing\", ${shape}, \"phases\": [{\"label\": \"others\", \"steps\": 3}]}")
  expect_match("the missing label named" "${missing_err}" "phases name the label \"others\", but no record has it \\(labels seen: admired, mine\\)")
  run(empty 1 "{\"path\": \"out/empty\", ${shape}, \"phases\": [{\"label\": \"\", \"steps\": 3}]}")
  expect_match("an empty label refused" "${empty_err}" "phases\\[0\\].label: a label is empty")
  run(too_long 1 "{\"path\": \"out/long\", \"model\": \"${MODEL}\", \"block_size\": 500, \"steps\": 3}")
  expect_match("block_size over n_positions" "${too_long_err}" "block_size 500 is larger than the model's 128 positions")
  run(both 1 "{\"path\": \"out/both\", \"model\": \"${MODEL}\", ${shape}, \"steps\": 3}")
  expect_match("model and init refused" "${both_err}" "either model .* or init .*, not both")
  run(init_long 1 "{\"path\": \"out/init_long\", ${shape}, \"block_size\": 32, \"steps\": 3}")
  expect_match("block_size over init.block_size" "${init_long_err}" "block_size 32 is larger than the model's 16 positions \\(init.block_size\\)")
  # Every label problem in one message: a phase's label no record has, a weight for a label no
  # phase trains.
  run(labels 1 "{\"path\": \"out/labels\", ${shape}, \"phases\": [{\"label\": \"others\", \"steps\": 3}, {\"label\": \"mine\", \"steps\": 3}], \"weights\": {\"admired\": 2}}")
  expect_match("both label problems" "${labels_err}" "phases name the label \"others\", but no record has it.*; weights give the label \"admired\" a weight, but no phase trains it")
  run(empty_weight 1 "{\"path\": \"out/empty_weight\", ${shape}, \"steps\": 3, \"weights\": {\"\": 2}}")
  expect_match("an empty label in weights" "${empty_weight_err}" "weights: a label is empty")

  # A label whose records hold no text.
  file(WRITE "${WORK_DIR}/blank.jsonl" "{\"text\": \"\", \"meta\": {\"label\": \"blank\"}}\n")
  file(WRITE "${WORK_DIR}/blank.json" "{\"textkit\": 1, \"steps\": [
    {\"use\": \"read.txt\", \"with\": {\"path\": \"${CORPUS}/diary-2019-11-03.txt\", \"split\": \"paragraph\", \"label\": \"mine\"}},
    {\"use\": \"read.jsonl\", \"with\": {\"path\": \"blank.jsonl\"}},
    {\"use\": \"gpt2.train\", \"with\": {\"path\": \"out/blank\", ${shape}, \"phases\": [{\"label\": \"mine\", \"steps\": 3}]}}]}")
  execute_process(COMMAND "${TEXTKIT}" run "${WORK_DIR}/blank.json" --progress none
    WORKING_DIRECTORY "${WORK_DIR}" RESULT_VARIABLE code ERROR_VARIABLE blank_err)
  expect("exit 1 for a label without text, got ${code}: ${blank_err}" code EQUAL 1)
  expect_match("the label without text named" "${blank_err}" "the 1 records labelled \"blank\" have no text")
  foreach(name missing empty long both init_long labels empty_weight blank)
    if(EXISTS "${WORK_DIR}/out/${name}/model.safetensors")
      message(FATAL_ERROR "${name}: a failed run wrote a model")
    endif()
  endforeach()
else()
  message(FATAL_ERROR "unknown CHECK ${CHECK}")
endif()
