#[=[
cmake -DPATHTHERMO=<paththermo> -P CheckOrnsteinUhlenbeck.cmake   (ctest: paththermo-ou)

B = −(I − 2·R90) = [[−1, 2], [−2, −1]] (γ = 1, ω = 2) has the exact entropy-production rate σ = 2ω²/γ = 8 for any
isotropic D (the README's `ou` example); `paththermo ou --json` must report it to 1e-9.
#]=]

execute_process(
  COMMAND "${PATHTHERMO}" ou --drift "[[-1,2],[-2,-1]]" --json
  OUTPUT_VARIABLE json ERROR_VARIABLE errors RESULT_VARIABLE status)
if(NOT status EQUAL 0)
  message(FATAL_ERROR "paththermo ou failed (${status}): ${errors}")
endif()
string(JSON sigma ERROR_VARIABLE json_error GET "${json}" entropy_production_rate)
if(json_error)
  message(FATAL_ERROR "no entropy_production_rate in the output (${json_error}):\n${json}")
endif()
# if() compares numbers as doubles.
if(NOT (sigma GREATER 7.999999999 AND sigma LESS 8.000000001))
  message(FATAL_ERROR "entropy_production_rate = ${sigma}, expected 8 (2ω²/γ) to 1e-9")
endif()
message(STATUS "entropy_production_rate = ${sigma} (exact 8)")
