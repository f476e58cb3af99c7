// Mean-field spin transformers (module SpinModels, issue 16): the speed criteria
//   - one mean-field step for N = 2048 sites, D = 512, 4 heads at ≥ 50 % of the GEMM rate OpenBLAS reaches here
//     (MeanFieldStepBenchmarks.swift, with the plain GEMM of the same shape beside it),
//   - the fixed point of N = 512, D = 64 in ≤ 0.2 s (FixedPointBenchmarks.swift),
//   - the sampled vMF chain at the fidelity grid's size, per chain step (ChainBenchmarks.swift).
//
//   cd Benchmarks && swift package benchmark --target SpinModelsBenchmarks

import Benchmark

let metrics: [BenchmarkMetric] = [.wallClock, .cpuTotal, .peakMemoryResident]

let benchmarks: @Sendable () -> Void = {
    meanFieldStepBenchmarks()
    fixedPointBenchmarks()
    chainBenchmarks()
}
