import Benchmark
import SpinModels

/// (being built: issue 16, owner: transformer helper)
func meanFieldStepBenchmarks() {}
