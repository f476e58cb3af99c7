#[[
Install rules and the CMake package (`find_package(PathThermo)`), shared by every module's CMakeLists.txt.

`cmake --install <build> --prefix <prefix>` lays out (Swift's own convention, as swift-argument-parser and
swift-collections install):

  bin/paththermo                                                   the CLI
  lib/lib<Module>.a                                                every library (.so with BUILD_SHARED_LIBS)
  lib/swift_static/<os>/<Module>.swiftmodule/<triple>.swiftmodule   the Swift module files (+ .swiftdoc);
                                                                   lib/swift/<os>/… for shared libraries
  include/PathThermo/<CModule>/module.modulemap, *.h               the Clang modules Swift imports (CLAPACK,
                                                                   CNoise, CFixedOrderGEMM)
  lib/cmake/PathThermo/PathThermoConfig.cmake, …ConfigVersion.cmake, PathThermoTargets*.cmake

The targets are exported as `PathThermo::<Module>` (`PathThermo::LinearAlgebra`, …) and `PathThermo::paththermo`.
The .swiftmodule files are binary modules: a consumer must use the same Swift compiler that built them
(no -enable-library-evolution, so no .swiftinterface). swift-argument-parser is not installed: the CLI links
it statically and no library uses it.

Every Swift module is installed by paththermo_swift_module() (PathThermoSwiftSupport.cmake), every C module by
paththermo_clang_module(): a new module needs no install rule of its own.
#]]

include_guard(GLOBAL)

include(GNUInstallDirs)

set(PATHTHERMO_INSTALL_CMAKEDIR "${CMAKE_INSTALL_LIBDIR}/cmake/PathThermo")
set(PATHTHERMO_INSTALL_CLANG_MODULEDIR "${CMAKE_INSTALL_INCLUDEDIR}/PathThermo")

# The module triple names the installed .swiftmodule file (what the compiler looks for inside <Module>.swiftmodule/).
if(NOT PATHTHERMO_SWIFT_MODULE_TRIPLE)
  set(_pt_target_info_command "${CMAKE_Swift_COMPILER}" -print-target-info)
  if(CMAKE_Swift_COMPILER_TARGET)
    list(APPEND _pt_target_info_command -target ${CMAKE_Swift_COMPILER_TARGET})
  endif()
  execute_process(COMMAND ${_pt_target_info_command} OUTPUT_VARIABLE _pt_target_info RESULT_VARIABLE _pt_status)
  string(JSON _pt_triple ERROR_VARIABLE _pt_error GET "${_pt_target_info}" target moduleTriple)
  if(NOT _pt_status EQUAL 0 OR _pt_error OR NOT _pt_triple)
    message(FATAL_ERROR "cannot read the module triple from `${_pt_target_info_command}`: ${_pt_error}")
  endif()
  set(PATHTHERMO_SWIFT_MODULE_TRIPLE "${_pt_triple}" CACHE STRING "Module triple of the installed .swiftmodule files")
  mark_as_advanced(PATHTHERMO_SWIFT_MODULE_TRIPLE)
endif()

if(APPLE)
  set(PATHTHERMO_SWIFT_OS macosx)
else()
  string(TOLOWER "${CMAKE_SYSTEM_NAME}" PATHTHERMO_SWIFT_OS)
endif()

# paththermo_swift_module_install_dir(<out-var> <target>)
#
# The folder (relative to the install prefix) that holds <target>'s installed <Module>.swiftmodule/.
function(paththermo_swift_module_install_dir out_var target)
  get_target_property(type ${target} TYPE)
  if(type STREQUAL "STATIC_LIBRARY")
    set(${out_var} "${CMAKE_INSTALL_LIBDIR}/swift_static/${PATHTHERMO_SWIFT_OS}" PARENT_SCOPE)
  else()
    set(${out_var} "${CMAKE_INSTALL_LIBDIR}/swift/${PATHTHERMO_SWIFT_OS}" PARENT_SCOPE)
  endif()
endfunction()

# paththermo_install_target(<target>)
#
# Installs a Swift target into the PathThermoTargets export set: an executable to bin/ (exported under its
# OUTPUT_NAME: PathThermo::paththermo), a library to lib/ with its .swiftmodule and .swiftdoc.
function(paththermo_install_target target)
  get_target_property(type ${target} TYPE)
  if(type STREQUAL "EXECUTABLE")
    get_target_property(output_name ${target} OUTPUT_NAME)
    if(output_name)
      set_target_properties(${target} PROPERTIES EXPORT_NAME ${output_name})
    endif()
    install(TARGETS ${target} EXPORT PathThermoTargets
      RUNTIME DESTINATION ${CMAKE_INSTALL_BINDIR})
    return()
  endif()

  install(TARGETS ${target} EXPORT PathThermoTargets
    ARCHIVE DESTINATION ${CMAKE_INSTALL_LIBDIR}
    LIBRARY DESTINATION ${CMAKE_INSTALL_LIBDIR}
    RUNTIME DESTINATION ${CMAKE_INSTALL_BINDIR})

  get_target_property(module_name ${target} Swift_MODULE_NAME)
  if(NOT module_name)
    set(module_name ${target})
  endif()
  get_target_property(module_dir ${target} Swift_MODULE_DIRECTORY)
  if(NOT module_dir)
    set(module_dir ${CMAKE_Swift_MODULE_DIRECTORY})
  endif()
  paththermo_swift_module_install_dir(destination ${target})
  install(FILES "${module_dir}/${module_name}.swiftmodule"
    DESTINATION "${destination}/${module_name}.swiftmodule"
    RENAME "${PATHTHERMO_SWIFT_MODULE_TRIPLE}.swiftmodule")
  install(FILES "${module_dir}/${module_name}.swiftdoc"
    DESTINATION "${destination}/${module_name}.swiftmodule"
    RENAME "${PATHTHERMO_SWIFT_MODULE_TRIPLE}.swiftdoc"
    OPTIONAL)
endfunction()

# paththermo_clang_module(<target> <folder>)
#
# A C target whose Clang module (module.modulemap and the *.h it names, in <folder>, relative to the calling
# CMakeLists.txt) Swift imports. Dependents get -I <folder> in the build tree and
# -I <prefix>/include/PathThermo/<target> once installed; the target (an INTERFACE or a static library) joins
# the PathThermoTargets export set.
function(paththermo_clang_module target folder)
  get_filename_component(dir "${folder}" ABSOLUTE BASE_DIR "${CMAKE_CURRENT_SOURCE_DIR}")
  get_target_property(type ${target} TYPE)
  if(type STREQUAL "INTERFACE_LIBRARY")
    set(scope INTERFACE)
  else()
    set(scope PUBLIC)
  endif()
  target_include_directories(${target} ${scope}
    "$<BUILD_INTERFACE:${dir}>"
    "$<INSTALL_INTERFACE:${PATHTHERMO_INSTALL_CLANG_MODULEDIR}/${target}>")
  file(GLOB headers CONFIGURE_DEPENDS LIST_DIRECTORIES false "${dir}/*.h")
  install(FILES "${dir}/module.modulemap" ${headers}
    DESTINATION "${PATHTHERMO_INSTALL_CLANG_MODULEDIR}/${target}")
  install(TARGETS ${target} EXPORT PathThermoTargets
    ARCHIVE DESTINATION ${CMAKE_INSTALL_LIBDIR}
    LIBRARY DESTINATION ${CMAKE_INSTALL_LIBDIR})
endfunction()

# paththermo_install_package()
#
# The CMake package, after every module is added: PathThermoTargets.cmake (the PathThermo:: targets),
# PathThermoConfig.cmake (finds OpenBLAS/LAPACKE through pkg-config, then includes the targets) and
# PathThermoConfigVersion.cmake (PROJECT_VERSION, from the VERSION file; 0.x versions are compatible within
# the same minor version, as SemVer reads them).
function(paththermo_install_package)
  include(CMakePackageConfigHelpers)
  install(EXPORT PathThermoTargets
    NAMESPACE PathThermo::
    FILE PathThermoTargets.cmake
    DESTINATION "${PATHTHERMO_INSTALL_CMAKEDIR}")
  configure_package_config_file(
    "${PROJECT_SOURCE_DIR}/cmake/PathThermoConfig.cmake.in"
    "${PROJECT_BINARY_DIR}/PathThermoConfig.cmake"
    INSTALL_DESTINATION "${PATHTHERMO_INSTALL_CMAKEDIR}")
  write_basic_package_version_file(
    "${PROJECT_BINARY_DIR}/PathThermoConfigVersion.cmake"
    VERSION ${PROJECT_VERSION}
    COMPATIBILITY SameMinorVersion)
  install(FILES
    "${PROJECT_BINARY_DIR}/PathThermoConfig.cmake"
    "${PROJECT_BINARY_DIR}/PathThermoConfigVersion.cmake"
    DESTINATION "${PATHTHERMO_INSTALL_CMAKEDIR}")
endfunction()
