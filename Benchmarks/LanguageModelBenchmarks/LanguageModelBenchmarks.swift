// Whole-sequence scoring with the real language model (module LanguageModel, llama forward pass).
//
//   cd Benchmarks && swift package benchmark --target LanguageModelBenchmarks
//
// - Loading SmolLM2-135M-Instruct (Q4_1 GGUF, 98 MB) and dequantizing all 272 tensors to Float32 (538 MB).
// - One batched forward pass with per-token log-probabilities for T = 64, 256, 512 tokens (seeded random
//   in-vocabulary ids; one iteration = one sequence; throughput × T = tokens per second).
// - KV-cached batched sampling (`LlamaModel.sample`): N = 32 texts of T = 128 tokens at τ = 1 from
//   `<|endoftext|>` in one batch of 32 (throughput × 32 · 128 = tokens per second), and with batch 64 for N = 64.
// - Batched teacher-forced scoring (`logProbabilities(sequences:prefix:temperature:)`): 32 texts of 128 tokens
//   in batches of 8 and 32 (throughput × 4096 = tokens per second).
// Needs models/SmolLM2-135M-Instruct.Q4_1.gguf (scripts/fetch_model.sh); without it the suite registers nothing.

import Benchmark
import Foundation
import LanguageModel

let modelPath = URL(fileURLWithPath: #filePath)
    .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    .appendingPathComponent("models/SmolLM2-135M-Instruct.Q4_1.gguf").path

/// Seeded ids in 17..<40017 (SplitMix64), away from the control tokens.
func randomTokens(_ n: Int, seed: UInt64) -> [Int] {
    var s = seed
    return (0..<n).map { _ in
        s &+= 0x9E37_79B9_7F4A_7C15
        var z = s
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9; z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB; z ^= z >> 31
        return 17 + Int(z % 40_000)
    }
}

let benchmarks: @Sendable () -> Void = {
    guard FileManager.default.fileExists(atPath: modelPath) else {
        print("LanguageModelBenchmarks: \(modelPath) is absent (scripts/fetch_model.sh); nothing to run")
        return
    }
    let config = Benchmark.Configuration(metrics: [.wallClock, .throughput, .peakMemoryResident],
                                         maxDuration: .seconds(10), maxIterations: 20)
    Benchmark("load SmolLM2-135M (dequantize to Float32)", configuration: config) { benchmark in
        for _ in benchmark.scaledIterations { blackHole(try LlamaModel(contentsOf: modelPath)) }
    }
    guard let model = try? LlamaModel(contentsOf: modelPath) else { return }
    for t in [64, 256, 512] {
        let tokens = randomTokens(t, seed: UInt64(t))
        Benchmark("score T = \(t) tokens (one forward pass)", configuration: config) { benchmark in
            for _ in benchmark.scaledIterations { blackHole(try model.logProbabilities(tokens: tokens)) }
        }
    }
    let sampling = Benchmark.Configuration(metrics: [.wallClock, .throughput, .peakMemoryResident],
                                           maxDuration: .seconds(30), maxIterations: 3)
    for (n, b) in [(32, 32), (64, 64)] {
        Benchmark("sample N = \(n) × T = 128 tokens, batch \(b) (KV cache)", configuration: sampling) { benchmark in
            for i in benchmark.scaledIterations {
                blackHole(try model.sample(count: n, length: 128, prefix: [0], temperature: 1, seed: UInt64(i), batchSize: b))
            }
        }
    }
    let texts = (0..<32).map { randomTokens(128, seed: 1000 + UInt64($0)) }
    for b in [8, 32] {
        Benchmark("teacher-forced score 32 × 128 tokens, batch \(b)", configuration: sampling) { benchmark in
            for _ in benchmark.scaledIterations {
                blackHole(try model.logProbabilities(sequences: texts, prefix: [0], temperature: 1, batchSize: b))
            }
        }
    }
}
