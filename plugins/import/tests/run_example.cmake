# Runs one example pipeline and compares what it writes with expected/examples/<file>:
#   cmake -DTEXTKIT=<exe> -DPIPELINE=<examples/x.json> -DEXPECTED_DIR=<dir> -DOUT_DIR=<out>
#         -P run_example.cmake
# Every file in EXPECTED_DIR named after the pipeline's outputs is checked: the pipeline's
# write.txt path's file name.
cmake_minimum_required(VERSION 3.22)

file(READ "${PIPELINE}" pipeline_text)
string(JSON step_count LENGTH "${pipeline_text}" steps)
math(EXPR last "${step_count} - 1")
string(JSON output GET "${pipeline_text}" steps ${last} with path)
get_filename_component(output_name "${output}" NAME)

execute_process(
  COMMAND "${TEXTKIT}" run "${PIPELINE}" --progress none
  RESULT_VARIABLE exit_code
  ERROR_VARIABLE stderr_text)
if(NOT exit_code EQUAL 0)
  message(FATAL_ERROR "${PIPELINE} failed (${exit_code}):\n${stderr_text}")
endif()
execute_process(COMMAND ${CMAKE_COMMAND} -E compare_files "${OUT_DIR}/${output_name}"
                        "${EXPECTED_DIR}/${output_name}"
  RESULT_VARIABLE differs)
if(differs)
  file(READ "${OUT_DIR}/${output_name}" actual_text)
  message(FATAL_ERROR "out/${output_name} differs from expected/examples/${output_name}:\n${actual_text}")
endif()
