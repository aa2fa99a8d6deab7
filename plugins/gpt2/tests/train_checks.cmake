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

function(expect condition_text)
  if(NOT (${ARGN}))
    message(FATAL_ERROR "${CHECK}: expected ${condition_text}")
  endif()
endfunction()

if(CHECK STREQUAL "scratch")
  # From scratch with a BPE trained on the records, two phases, a checkpoint in the middle.
  set(with "{\"path\": \"out/model\", \"init\": {\"n_layer\": 2, \"n_head\": 2, \"n_embd\": 32, \"block_size\": 32, \"vocab_size\": 320},
    \"phases\": [{\"label\": \"admired\", \"steps\": 6}, {\"label\": \"mine\", \"steps\": 4}],
    \"batch_size\": 2, \"save_every\": 5, \"log_every\": 5, \"threads\": 1}")
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
  run(changed 1 "${with}" --set 2.learning_rate=0.01)
  expect_match("the changed setting named" "${changed_err}" "other settings \\(learning_rate\\); set restart: true")
  run(restarted 0 "${with}" --set 2.learning_rate=0.01 --set 2.restart=true)
  expect_match("a fresh run" "${restarted_err}" "trained 10 steps \\(")
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
  foreach(name missing empty long both)
    if(EXISTS "${WORK_DIR}/out/${name}/model.safetensors")
      message(FATAL_ERROR "${name}: a failed run wrote a model")
    endif()
  endforeach()
else()
  message(FATAL_ERROR "unknown CHECK ${CHECK}")
endif()
