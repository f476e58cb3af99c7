#[=[
ctest smoke tests of the CMake-built `paththermo` (the library's own tests are the SwiftPM suite, Tests/):

  paththermo-help         `paththermo --help` exits 0 and prints the usage
  paththermo-ou           `paththermo ou --drift '[[-1,2],[-2,-1]]' --json`: σ = 2ω²/γ = 8 (γ = 1, ω = 2) to 1e-9
  paththermo-plot-script  `paththermo figure-kalman --quick` writes plot_figure_kalman.py byte-identical to
                          Sources/Experiments/Plots/ (the scripts embedded by paththermo_embed_resources); run without
                          python3 on PATH, so no matplotlib is needed and the missing PNG is only a warning
  paththermo-c-abi        a C program (cmake/scripts/abi_smoke.c) linked to the CMake-built libpaththermo_c.so:
                          pt_ou's σ = 8 to 1e-9, and a malformed call gets a non-zero status and a one-line message
  paththermo-mpi          (where MPI was found) `mpirun -np 1, 2, 3 paththermo-mpi measure …` and `estimate …` print the
                          JSON numbers of one `paththermo` run, bit for bit; a rank whose paththermo is killed gets one
                          line naming the rank (cmake/scripts/mpi_check.sh)

  ctest --test-dir .build-cmake --output-on-failure
#]=]

include_guard(GLOBAL)

add_test(NAME paththermo-help COMMAND PathThermoCLI --help)
set_tests_properties(paththermo-help PROPERTIES PASS_REGULAR_EXPRESSION "USAGE: paththermo")

add_test(NAME paththermo-ou
  COMMAND ${CMAKE_COMMAND} "-DPATHTHERMO=$<TARGET_FILE:PathThermoCLI>"
          -P "${PROJECT_SOURCE_DIR}/cmake/scripts/CheckOrnsteinUhlenbeck.cmake")

add_test(NAME paththermo-plot-script
  COMMAND ${CMAKE_COMMAND} "-DPATHTHERMO=$<TARGET_FILE:PathThermoCLI>"
          "-DWORK_DIR=${PROJECT_BINARY_DIR}/smoke-tests/plot-script"
          "-DEXPECTED=${PROJECT_SOURCE_DIR}/Sources/Experiments/Plots/plot_figure_kalman.py"
          -P "${PROJECT_SOURCE_DIR}/cmake/scripts/CheckPlotScript.cmake")

# paththermo-c-abi: a C program against the CMake-built libpaththermo_c.so and include/paththermo.h
# (cmake/scripts/abi_smoke.c: pt_ou's σ = 8, and a malformed call answered with a status and one line).
add_executable(paththermo-abi-smoke "${PROJECT_SOURCE_DIR}/cmake/scripts/abi_smoke.c")
target_include_directories(paththermo-abi-smoke PRIVATE "${PROJECT_SOURCE_DIR}/include")
target_link_libraries(paththermo-abi-smoke PRIVATE paththermo_c m)
add_test(NAME paththermo-c-abi COMMAND paththermo-abi-smoke)
set_tests_properties(paththermo-c-abi PROPERTIES PASS_REGULAR_EXPRESSION "sigma = 8;")

# paththermo-mpi: bitwise identity with one run under mpirun -np 1, 2, 3, and a failing rank named in one line.
if(TARGET paththermo-mpi AND MPIEXEC_EXECUTABLE)
  add_test(NAME paththermo-mpi
    COMMAND bash "${PROJECT_SOURCE_DIR}/cmake/scripts/mpi_check.sh" "${MPIEXEC_EXECUTABLE}"
            "$<TARGET_FILE:paththermo-mpi>" "$<TARGET_FILE:PathThermoCLI>")
  set_tests_properties(paththermo-mpi PROPERTIES PASS_REGULAR_EXPRESSION "paththermo-mpi: all checks passed")
endif()
