# textkit_add_plugin(<target> SOURCES <file>... [LIBRARIES <lib>...]
#                    [OUTPUT_DIRECTORY <dir>] [NO_INSTALL])
#
# Builds a textkit plugin as a CMake MODULE named textkit_<target>.so into
# <build>/lib/textkit/plugins (the place the textkit executable looks, relative to itself, in the
# build tree and once installed) and installs it there. Used in-tree and, through
# find_package(textkit), by out-of-tree plugins.
include_guard(GLOBAL)
include(GNUInstallDirs)

set(TEXTKIT_PLUGIN_SUBDIR "${CMAKE_INSTALL_LIBDIR}/textkit/plugins")

function(textkit_add_plugin target)
  cmake_parse_arguments(PARSE_ARGV 1 arg "NO_INSTALL" "OUTPUT_DIRECTORY" "SOURCES;LIBRARIES")
  if(NOT arg_OUTPUT_DIRECTORY)
    set(arg_OUTPUT_DIRECTORY "${PROJECT_BINARY_DIR}/${TEXTKIT_PLUGIN_SUBDIR}")
  endif()
  if(NOT arg_SOURCES)
    message(FATAL_ERROR "textkit_add_plugin(${target}): SOURCES is required")
  endif()
  add_library(${target} MODULE ${arg_SOURCES})
  target_link_libraries(${target} PRIVATE textkit::core ${arg_LIBRARIES})
  set_target_properties(${target} PROPERTIES
    PREFIX ""
    OUTPUT_NAME "textkit_${target}"
    CXX_VISIBILITY_PRESET hidden
    VISIBILITY_INLINES_HIDDEN ON
    LIBRARY_OUTPUT_DIRECTORY "${arg_OUTPUT_DIRECTORY}"
    BUILD_RPATH_USE_ORIGIN ON
    INSTALL_RPATH "$ORIGIN/../..")
  # Every symbol resolved at link time, and never unmapped: a plugin unloaded while objects from it
  # live (libtorch's above all) crashes the host.
  # -z defs: a missing symbol is a link error, not a failure at load. Not under clang's sanitizers,
  # whose runtime lives in the executable that loads the plugin.
  if(TEXTKIT_SANITIZE AND CMAKE_CXX_COMPILER_ID STREQUAL "Clang")
    target_link_options(${target} PRIVATE -Wl,-z,nodelete)
  else()
    target_link_options(${target} PRIVATE -Wl,-z,defs -Wl,-z,nodelete)
  endif()
  if(NOT arg_NO_INSTALL)
    install(TARGETS ${target} LIBRARY DESTINATION "${TEXTKIT_PLUGIN_SUBDIR}")
  endif()
endfunction()
