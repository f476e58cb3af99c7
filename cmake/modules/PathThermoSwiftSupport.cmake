#[[
Helpers shared by the CMakeLists.txt files under Sources/.

Names are prefixed `paththermo_` on purpose: CMake functions are global, and swift-argument-parser
(pulled in with FetchContent) defines its own `_install_target`, `get_swift_host_os`, ….
#]]

include_guard(GLOBAL)

# paththermo_glob_swift_sources(<out-var>)
#
# Every *.swift file below the calling CMakeLists.txt's folder, subfolders included, sorted.
# CONFIGURE_DEPENDS makes the build re-run the glob (and re-configure when the list changed), so a
# source file that is added or removed needs no CMake edit.
macro(paththermo_glob_swift_sources out_var)
  file(GLOB_RECURSE ${out_var} CONFIGURE_DEPENDS
    LIST_DIRECTORIES false
    "${CMAKE_CURRENT_SOURCE_DIR}/*.swift")
  list(SORT ${out_var})
  if(NOT ${out_var})
    message(FATAL_ERROR "no Swift sources found under ${CMAKE_CURRENT_SOURCE_DIR}")
  endif()
endmacro()

# _paththermo_swift_module_deps(<out-var> <target>)
#
# The .swiftmodule files of every Swift library <target> depends on, directly or transitively
# (through LINK_LIBRARIES / INTERFACE_LINK_LIBRARIES), its own excluded.
function(_paththermo_swift_module_deps out_var target)
  set(pending ${target})
  set(seen "")
  set(modules "")
  while(pending)
    list(POP_FRONT pending current)
    if(current IN_LIST seen)
      continue()
    endif()
    list(APPEND seen ${current})
    get_target_property(type ${current} TYPE)
    if(NOT current STREQUAL target AND type MATCHES "^(STATIC|SHARED)_LIBRARY$")
      get_target_property(imported ${current} IMPORTED)
      get_target_property(module_dir ${current} Swift_MODULE_DIRECTORY)
      get_target_property(module_name ${current} Swift_MODULE_NAME)
      if(NOT imported AND module_dir)
        if(NOT module_name)
          set(module_name ${current})
        endif()
        list(APPEND modules "${module_dir}/${module_name}.swiftmodule")
      endif()
    endif()
    set(libs "")
    if(NOT type STREQUAL "INTERFACE_LIBRARY")
      get_target_property(direct ${current} LINK_LIBRARIES)
      if(direct)
        list(APPEND libs ${direct})
      endif()
    endif()
    get_target_property(iface ${current} INTERFACE_LINK_LIBRARIES)
    if(iface)
      list(APPEND libs ${iface})
    endif()
    foreach(lib IN LISTS libs)
      # Skip generator expressions ($<LINK_ONLY:…>: link-only, not imported by Swift code).
      if(TARGET "${lib}" AND NOT lib MATCHES "^\\$<")
        get_target_property(aliased ${lib} ALIASED_TARGET)
        if(aliased)
          set(lib ${aliased})
        endif()
        list(APPEND pending ${lib})
      endif()
    endforeach()
  endwhile()
  list(REMOVE_DUPLICATES modules)
  set(${out_var} ${modules} PARENT_SCOPE)
endfunction()

# paththermo_swift_module(<target>)
#
# Settings common to every Swift target of the project; call it after target_link_libraries():
# - dependents find the target's .swiftmodule in CMAKE_Swift_MODULE_DIRECTORY (CMake < 3.26 does
#   not add that search path by itself; same workaround as swift-numerics / swift-argument-parser);
# - the target is rebuilt when the .swiftmodule of any Swift library it imports (transitively)
#   changes. CMake 3.25 compiles a Swift target in one swiftc call, its "link" step, which depends
#   only on its own sources: without these LINK_DEPENDS an API change in LinearAlgebra would not
#   recompile ArrayIO, Thermodynamics, … and leave a stale build;
# - Release builds compile each module whole (-wmo), as `swift build -c release` does. With
#   -num-threads the whole-module compile still writes one object file per source (as named in
#   CMake's output-file-map); without it swiftc writes a single object, the per-source outputs
#   that Ninja expects never appear, and every build would recompile the module.
function(paththermo_swift_module target)
  get_target_property(type ${target} TYPE)
  if(NOT type STREQUAL "EXECUTABLE")
    set_target_properties(${target} PROPERTIES
      INTERFACE_INCLUDE_DIRECTORIES ${CMAKE_Swift_MODULE_DIRECTORY})
  endif()
  _paththermo_swift_module_deps(module_deps ${target})
  if(module_deps)
    set_property(TARGET ${target} APPEND PROPERTY LINK_DEPENDS ${module_deps})
  endif()
  set(threads ${CMAKE_Swift_NUM_THREADS})
  if(NOT threads MATCHES "^[1-9][0-9]*$")
    set(threads 1)
  endif()
  target_compile_options(${target} PRIVATE
    "$<$<AND:$<COMPILE_LANGUAGE:Swift>,$<CONFIG:Release>>:SHELL:-wmo -num-threads ${threads}>")
endfunction()
