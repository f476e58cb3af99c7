#[[
cmake -DPATHTHERMO=<paththermo> -DWORK_DIR=<dir> -DEXPECTED=<plot_figure_kalman.py> -P CheckPlotScript.cmake
(ctest: paththermo-plot-script)

Runs a small `paththermo figure-kalman --quick` into <dir> with an empty PATH (no python3: the script is written,
the PNG is skipped with a warning) and checks that the plot script it wrote is byte for byte <EXPECTED>, the
resource file the CMake build embedded.
#]]

file(REMOVE_RECURSE "${WORK_DIR}")
execute_process(
  COMMAND ${CMAKE_COMMAND} -E env PATH=/nonexistent PATHTHERMO_PROGRESS=0
          "${PATHTHERMO}" figure-kalman --quick --samples 50 --threads 1 --out "${WORK_DIR}"
  OUTPUT_VARIABLE output ERROR_VARIABLE errors RESULT_VARIABLE status)
if(NOT status EQUAL 0)
  message(FATAL_ERROR "paththermo figure-kalman failed (${status}): ${errors}")
endif()
get_filename_component(name "${EXPECTED}" NAME)
if(NOT EXISTS "${WORK_DIR}/${name}")
  message(FATAL_ERROR "paththermo figure-kalman wrote no ${name}:\n${output}${errors}")
endif()
execute_process(COMMAND ${CMAKE_COMMAND} -E compare_files "${WORK_DIR}/${name}" "${EXPECTED}" RESULT_VARIABLE differ)
if(NOT differ EQUAL 0)
  message(FATAL_ERROR "${WORK_DIR}/${name} differs from ${EXPECTED}")
endif()
message(STATUS "${name} is byte-identical to ${EXPECTED}")
