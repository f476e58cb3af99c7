#[[
Writes BuildCommit.swift, `enum BuildCommit { static let commit = "<short hash>" }`, for the `paththermo` CLI
(`--version` and the "provenance" of its JSON results): the same file SwiftPM's Plugins/BuildCommit writes.

Script mode, run at configure time and before every build (Sources/PathThermoCLI/CMakeLists.txt):

  cmake -DSOURCE_DIR=<checkout> -DOUTPUT=<file> -P PathThermoBuildCommit.cmake

`git rev-parse --short HEAD` in SOURCE_DIR when it has a .git (a clone or a worktree) and git is found, else
`unknown` (a tarball, no git). Offline and read-only on the repository. The file is rewritten only when its text
changes (file(CONFIGURE)), so an unchanged commit recompiles nothing.
#]]
set(commit unknown)
if(EXISTS "${SOURCE_DIR}/.git")
  find_program(PATHTHERMO_GIT git)
  if(PATHTHERMO_GIT)
    execute_process(COMMAND "${PATHTHERMO_GIT}" -C "${SOURCE_DIR}" rev-parse --short HEAD
      RESULT_VARIABLE _rc OUTPUT_VARIABLE _hash ERROR_QUIET OUTPUT_STRIP_TRAILING_WHITESPACE)
    if(_rc EQUAL 0 AND _hash MATCHES "^[0-9a-f]+$")
      set(commit "${_hash}")
    endif()
  endif()
endif()
file(CONFIGURE OUTPUT "${OUTPUT}" CONTENT [[
// Generated at build time (SwiftPM: Plugins/BuildCommit; CMake: cmake/modules/PathThermoBuildCommit.cmake).
/// The git commit (short hash) this program was built from, or `unknown` outside a git checkout.
enum BuildCommit { static let commit = "@commit@" }
]] @ONLY)
