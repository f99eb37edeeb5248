# The gostack CMake package, usable from the build tree
# (-Dgostack_DIR=<build dir>) and after `cmake --install`.
include(CMakePackageConfigHelpers)

set(GOSTACK_PLUGIN_FILE "libgostack-plugin.so")
set(GOSTACK_PLUGIN_IMPL_FILE "libgostack-clang${LLVM_VERSION_MAJOR}.so")
set(GOSTACK_ANALYZER_FILE "libgostack-analyzer.so")

# Used by this project's own targets (examples, tests) as by users'.
set(GOSTACK_PLUGIN "${PROJECT_BINARY_DIR}/lib/${GOSTACK_PLUGIN_FILE}")
set(GOSTACK_PLUGIN_IMPL "${PROJECT_BINARY_DIR}/lib/${GOSTACK_PLUGIN_IMPL_FILE}")
set(GOSTACK_ANALYZER "${PROJECT_BINARY_DIR}/lib/${GOSTACK_ANALYZER_FILE}")
set(GOSTACK_ANALYZE_LAUNCHER "${PROJECT_SOURCE_DIR}/cmake/gostack-analyze.sh")
include(${CMAKE_CURRENT_LIST_DIR}/gostackEnable.cmake)

set(version_file "${PROJECT_BINARY_DIR}/gostackConfigVersion.cmake")
write_basic_package_version_file("${version_file}"
  COMPATIBILITY SameMinorVersion)

function(gostack_write_package_config destination prefix_dir install_dir)
  set(GOSTACK_PLUGIN_PATH "${prefix_dir}/lib/${GOSTACK_PLUGIN_FILE}")
  set(GOSTACK_PLUGIN_IMPL_PATH "${prefix_dir}/lib/${GOSTACK_PLUGIN_IMPL_FILE}")
  set(GOSTACK_ANALYZER_PATH "${prefix_dir}/lib/${GOSTACK_ANALYZER_FILE}")
  configure_package_config_file(
    "${PROJECT_SOURCE_DIR}/cmake/gostackConfig.cmake.in" "${destination}"
    INSTALL_DESTINATION "${install_dir}"
    INSTALL_PREFIX "${prefix_dir}"
    PATH_VARS GOSTACK_PLUGIN_PATH GOSTACK_PLUGIN_IMPL_PATH
              GOSTACK_ANALYZER_PATH)
endfunction()

# Build tree: the config sits in the build directory itself.
gostack_write_package_config("${PROJECT_BINARY_DIR}/gostackConfig.cmake"
  "${PROJECT_BINARY_DIR}" "${PROJECT_BINARY_DIR}")
configure_file(cmake/gostackEnable.cmake
  "${PROJECT_BINARY_DIR}/gostackEnable.cmake" COPYONLY)
configure_file(cmake/gostack-analyze.sh
  "${PROJECT_BINARY_DIR}/gostack-analyze.sh" COPYONLY)
export(EXPORT gostackTargets NAMESPACE gostack::
  FILE "${PROJECT_BINARY_DIR}/gostackTargets.cmake")

# Install tree.
set(install_config_dir "lib/cmake/gostack")
gostack_write_package_config(
  "${PROJECT_BINARY_DIR}/install-config/gostackConfig.cmake"
  "${CMAKE_INSTALL_PREFIX}" "${install_config_dir}")
install(FILES "${PROJECT_BINARY_DIR}/install-config/gostackConfig.cmake"
  "${version_file}" cmake/gostackEnable.cmake
  DESTINATION "${install_config_dir}")
install(PROGRAMS cmake/gostack-analyze.sh DESTINATION "${install_config_dir}")
install(EXPORT gostackTargets NAMESPACE gostack::
  DESTINATION "${install_config_dir}")
