# Runs Graphviz on a DOT file and fails unless it exits 0, says nothing on stderr (dot warns
# about syntax it half understands), and writes an SVG holding every kanji node.
execute_process(COMMAND ${DOT} -Tsvg ${INPUT} -o ${OUTPUT}
  RESULT_VARIABLE status ERROR_VARIABLE errors)
if(NOT status EQUAL 0)
  message(FATAL_ERROR "dot -Tsvg ${INPUT} failed (${status}): ${errors}")
endif()
if(NOT errors STREQUAL "")
  message(FATAL_ERROR "dot -Tsvg ${INPUT} warned: ${errors}")
endif()
file(READ ${OUTPUT} svg)
foreach(kanji 木 末 未 本 休 体 土 士)
  string(FIND "${svg}" ">${kanji}<" at)
  if(at EQUAL -1)
    message(FATAL_ERROR "${OUTPUT}: no node text ${kanji}")
  endif()
endforeach()
message(STATUS "dot -Tsvg accepted ${INPUT}")
