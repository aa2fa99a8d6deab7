# textkit_pipeline_test(<family> <case> [PIPELINE <name>] [ARGS <arg>...] [EXIT <code>]
#                       [OUTPUTS <file>...] [ABSENT <file>...] [STDERR <regex>...]
#                       [STDIN <file>] [STDOUT <expected file>])
# Adds the ctest "<family>.<case>": runs pipelines/<PIPELINE or case>.json (beside the calling
# CMakeLists.txt; @SAMPLES@ in it stands for corpora/samples) in a scratch copy under the build
# tree through the textkit executable, checks the exit status (0 unless EXIT), that stderr matches
# each STDERR regex, that each OUTPUTS file equals pipelines/expected/<file>, that no ABSENT file
# and no temporary file is left in out/. See tests/run_pipeline.cmake.
function(textkit_pipeline_test family name)
  cmake_parse_arguments(PARSE_ARGV 2 arg "" "EXIT;PIPELINE;STDIN;STDOUT"
    "OUTPUTS;ABSENT;STDERR;ARGS")
  if(NOT DEFINED arg_EXIT)
    set(arg_EXIT 0)
  endif()
  add_test(NAME "${family}.${name}"
    COMMAND ${CMAKE_COMMAND}
      "-DTEXTKIT=$<TARGET_FILE:textkit>"
      "-DCASE=${name}"
      "-DPIPELINE=${arg_PIPELINE}"
      "-DSOURCE_DIR=${CMAKE_CURRENT_SOURCE_DIR}/pipelines"
      "-DWORK_DIR=${CMAKE_CURRENT_BINARY_DIR}/work/${name}"
      "-DSAMPLES_DIR=${PROJECT_SOURCE_DIR}/corpora/samples"
      "-DEXPECT_EXIT=${arg_EXIT}"
      "-DOUTPUTS=${arg_OUTPUTS}"
      "-DABSENT=${arg_ABSENT}"
      "-DSTDERR=${arg_STDERR}"
      "-DSTDIN=${arg_STDIN}"
      "-DSTDOUT=${arg_STDOUT}"
      "-DARGS=${arg_ARGS}"
      -P ${PROJECT_SOURCE_DIR}/tests/run_pipeline.cmake)
endfunction()
