# gostack_enable(<target> [PLUGIN_ARGS <arg>...])
#
# Compiles <target>'s C++ with the gostack plugin (passing each PLUGIN_ARGS
# entry as -fplugin-arg-gostack-<arg>, e.g. m, m=2, managed=all) and links the
# gostack runtime. Objects rebuild when the plugin changes. The plugin only
# runs inside Clang 19, so any other compiler is a configure-time error.
# Call it after the target's sources are all added: the rebuild dependency
# is attached to each source file.
#
# With -DGOSTACK_ANALYZE=ON, every compile of <target> first runs Clang's
# static analyzer with gostack's checkers (docs/ANALYZER.md), through the
# compiler launcher gostack-analyze.sh; its warnings print with the build's.
# managed=all among PLUGIN_ARGS is passed on to the checkers.
#
# Expects GOSTACK_PLUGIN and GOSTACK_PLUGIN_IMPL (absolute paths of the
# loader and of the real plugin), GOSTACK_ANALYZER and
# GOSTACK_ANALYZE_LAUNCHER (for GOSTACK_ANALYZE) and the target
# gostack::runtime.
option(GOSTACK_ANALYZE
       "Run gostack's static analyzer checkers on gostack_enable() targets"
       OFF)

function(gostack_enable target)
  cmake_parse_arguments(PARSE_ARGV 1 ARG "" "" "PLUGIN_ARGS")
  if(NOT CMAKE_CXX_COMPILER_ID STREQUAL "Clang"
     OR NOT CMAKE_CXX_COMPILER_VERSION VERSION_GREATER_EQUAL 19
     OR CMAKE_CXX_COMPILER_VERSION VERSION_GREATER_EQUAL 20)
    message(FATAL_ERROR "gostack_enable(${target}): the gostack plugin runs "
            "only inside Clang 19, but this project compiles C++ with "
            "${CMAKE_CXX_COMPILER_ID} ${CMAKE_CXX_COMPILER_VERSION} "
            "(${CMAKE_CXX_COMPILER}). Configure a fresh build directory with "
            "-DCMAKE_CXX_COMPILER=/usr/lib/llvm-19/bin/clang++")
  endif()

  set(flags "-fplugin=${GOSTACK_PLUGIN}")
  foreach(arg IN LISTS ARG_PLUGIN_ARGS)
    list(APPEND flags "-fplugin-arg-gostack-${arg}")
  endforeach()
  target_compile_options(${target} PRIVATE
    "$<$<COMPILE_LANGUAGE:CXX>:${flags}>")
  target_link_libraries(${target} PRIVATE gostack::runtime)

  # A new plugin changes the code generated for every source, so the
  # objects (not only the link) depend on it.
  get_target_property(sources ${target} SOURCES)
  get_target_property(source_dir ${target} SOURCE_DIR)
  foreach(source IN LISTS sources)
    get_filename_component(source "${source}" ABSOLUTE BASE_DIR "${source_dir}")
    set_property(SOURCE "${source}" TARGET_DIRECTORY ${target} APPEND
                 PROPERTY OBJECT_DEPENDS "${GOSTACK_PLUGIN};${GOSTACK_PLUGIN_IMPL}")
  endforeach()
  if(TARGET gostack-plugin)
    add_dependencies(${target} gostack-plugin)
  endif()

  if(GOSTACK_ANALYZE)
    if(NOT TARGET gostack-analyzer AND NOT EXISTS "${GOSTACK_ANALYZER}")
      message(FATAL_ERROR "gostack_enable(${target}): GOSTACK_ANALYZE is on, "
              "but gostack's analyzer checkers (${GOSTACK_ANALYZER}) were not "
              "built: build gostack with -DGOSTACK_BUILD_TOOLS=ON")
    endif()
    set(managed marked)
    if("managed=all" IN_LIST ARG_PLUGIN_ARGS)
      set(managed all)
    endif()
    set_property(TARGET ${target} PROPERTY CXX_COMPILER_LAUNCHER
      "${GOSTACK_ANALYZE_LAUNCHER}" "${GOSTACK_ANALYZER}" ${managed})
    if(TARGET gostack-analyzer)
      add_dependencies(${target} gostack-analyzer)
    endif()
  endif()
endfunction()
