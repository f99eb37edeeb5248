# gostack_clang_target(TARGET): compile TARGET against Clang's and LLVM's
# headers as Clang itself is compiled -- with LLVM's own flags (last, so that
# its -std and -fno-rtti win), hidden symbols (a module loaded into Clang or
# clang-tidy must not interpose on its host), position-independent code, and
# -Wall -Wextra about our code only (LLVM's headers are system headers).
# Sources include each other from plugin/ ("escape/Escape.h").
execute_process(COMMAND "${GOSTACK_LLVM_CONFIG}" --cxxflags
                OUTPUT_VARIABLE GOSTACK_LLVM_CXXFLAGS
                OUTPUT_STRIP_TRAILING_WHITESPACE COMMAND_ERROR_IS_FATAL ANY)
separate_arguments(GOSTACK_LLVM_CXXFLAGS UNIX_COMMAND
                   "${GOSTACK_LLVM_CXXFLAGS}")
list(FILTER GOSTACK_LLVM_CXXFLAGS EXCLUDE REGEX "^-I")
set(GOSTACK_PLUGIN_SOURCE_DIR "${PROJECT_SOURCE_DIR}/plugin")

function(gostack_clang_target target)
  set_target_properties(${target} PROPERTIES
    CXX_VISIBILITY_PRESET hidden
    VISIBILITY_INLINES_HIDDEN ON
    POSITION_INDEPENDENT_CODE ON)
  target_include_directories(${target} PRIVATE "${GOSTACK_PLUGIN_SOURCE_DIR}")
  target_include_directories(${target} SYSTEM PRIVATE
    ${LLVM_INCLUDE_DIRS} ${CLANG_INCLUDE_DIRS})
  target_compile_options(${target} PRIVATE ${GOSTACK_LLVM_CXXFLAGS}
    $<$<NOT:$<BOOL:${LLVM_ENABLE_RTTI}>>:-fno-rtti> -Wall -Wextra)
endfunction()
