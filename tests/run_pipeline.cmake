# Runs one pipeline test (see textkit_pipeline_test() in cmake/textkit_testing.cmake):
#   cmake -DTEXTKIT=<exe> -DCASE=<name> -DSOURCE_DIR=<pipelines> -DWORK_DIR=<scratch>
#         [-DPIPELINE=<name>] [-DSAMPLES_DIR=<corpora/samples>] [-DEXPECT_EXIT=0]
#         [-DOUTPUTS=a;b] [-DABSENT=c] [-DSTDERR=regex;...] [-DSTDIN=file] [-DSTDOUT=expected]
#         [-DARGS=--threads;1] -P run_pipeline.cmake
# The pipeline (with @SAMPLES@ standing for corpora/samples) and SOURCE_DIR/data are copied to
# WORK_DIR, so the run writes WORK_DIR/out/ and never the source tree; each output is compared byte
# for byte with SOURCE_DIR/expected/<output>.
cmake_minimum_required(VERSION 3.22)

if(NOT PIPELINE)
  set(PIPELINE "${CASE}")
endif()

file(REMOVE_RECURSE "${WORK_DIR}")
file(MAKE_DIRECTORY "${WORK_DIR}/out")
if(EXISTS "${SOURCE_DIR}/data")
  file(COPY "${SOURCE_DIR}/data" DESTINATION "${WORK_DIR}")
endif()
file(READ "${SOURCE_DIR}/${PIPELINE}.json" pipeline_text)
string(REPLACE "@SAMPLES@" "${SAMPLES_DIR}" pipeline_text "${pipeline_text}")
file(WRITE "${WORK_DIR}/${PIPELINE}.json" "${pipeline_text}")

set(io_args)
if(STDIN)
  list(APPEND io_args INPUT_FILE "${SOURCE_DIR}/${STDIN}")
endif()
execute_process(
  COMMAND "${TEXTKIT}" run "${WORK_DIR}/${PIPELINE}.json" --progress none ${ARGS}
  WORKING_DIRECTORY "${WORK_DIR}"
  RESULT_VARIABLE exit_code
  OUTPUT_VARIABLE stdout_text
  ERROR_VARIABLE stderr_text
  ${io_args})

set(failures "")
if(NOT exit_code STREQUAL EXPECT_EXIT)
  string(APPEND failures "exit status ${exit_code}, expected ${EXPECT_EXIT}\n")
endif()
foreach(pattern IN LISTS STDERR)
  if(NOT stderr_text MATCHES "${pattern}")
    string(APPEND failures "stderr does not match: ${pattern}\n")
  endif()
endforeach()
if(STDOUT)
  file(READ "${SOURCE_DIR}/${STDOUT}" expected_stdout)
  if(NOT stdout_text STREQUAL expected_stdout)
    string(APPEND failures "stdout differs from ${STDOUT}:\n${stdout_text}\n")
  endif()
endif()
foreach(output IN LISTS OUTPUTS)
  set(actual "${WORK_DIR}/out/${output}")
  set(expected "${SOURCE_DIR}/expected/${output}")
  if(NOT EXISTS "${actual}")
    string(APPEND failures "no output out/${output}\n")
    continue()
  endif()
  execute_process(COMMAND ${CMAKE_COMMAND} -E compare_files "${actual}" "${expected}"
    RESULT_VARIABLE differs)
  if(differs)
    file(READ "${actual}" actual_text)
    string(APPEND failures "out/${output} differs from expected/${output}; it holds:\n${actual_text}\n")
  endif()
endforeach()
foreach(output IN LISTS ABSENT)
  if(EXISTS "${WORK_DIR}/out/${output}")
    string(APPEND failures "out/${output} exists, but a failed run must leave no output\n")
  endif()
endforeach()
# A failed run leaves no temporary files behind either.
file(GLOB leftovers "${WORK_DIR}/out/.*.tmp-*")
if(leftovers)
  string(APPEND failures "temporary files left behind: ${leftovers}\n")
endif()

if(failures)
  message(FATAL_ERROR "${CASE}:\n${failures}--- stderr ---\n${stderr_text}")
endif()
