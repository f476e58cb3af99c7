import Benchmark
import SpinModels

/// (being built: issue 16, owner: fixedpoint helper)
func fixedPointBenchmarks() {}
