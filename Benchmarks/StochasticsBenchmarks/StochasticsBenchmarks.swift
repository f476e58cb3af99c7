// Counter-based normals (module Stochastics): the noise of every Euler–Maruyama step.
//
//   cd Benchmarks && swift package benchmark --target StochasticsBenchmarks
//
// Each iteration fills 10⁶ standard normals for a batch of streams at one step (one thread);
// throughput is iterations per second, so multiply by 10⁶ for normals per second, and the wall
// clock in ms per iteration is ns per normal. d = 2 is the Euler–Maruyama noise of a 2-D drift
// (streams in SIMD lanes); d = 64 and d = 1000 take whole lane groups of blocks of one stream.

import Benchmark
import Stochastics

let benchmarks: @Sendable () -> Void = {
    for (streams, dimension) in [(500_000, 2), (15_625, 64), (1_000, 1_000)] {
        Benchmark(
            "normals: \(streams) streams × d=\(dimension) (10^6 per iteration)",
            configuration: .init(metrics: [.wallClock, .throughput, .mallocCountTotal], warmupIterations: 1,
                                 maxDuration: .seconds(2), maxIterations: 100)
        ) { benchmark, buffer in
            for i in benchmark.scaledIterations {
                try buffer.withUnsafeMutableBufferPointer { (b) throws(StochasticsError) in
                    try CounterRandom.fillNormals(seed: 42, streams: 0..<UInt64(streams), step: UInt64(i),
                                                  dimension: dimension, into: b)
                }
                blackHole(buffer.storage[0])
            }
        } setup: {
            NormalBuffer(count: streams * dimension)
        }
    }

    // The engine's noise (NoiseStream, C kernel: AVX2+FMA when available, float32 Box–Muller):
    // one stream of 10⁶ consecutive normals, and the Euler–Maruyama layout (fillSteps: 64 rollouts ×
    // 64 steps × d = 2, step-major, as one worker draws it; 122 such fills ≈ 10⁶ normals).
    Benchmark(
        "NoiseStream.fill: one stream, 10^6 normals per iteration (\(NoiseStream.usesAVX2 ? "AVX2+FMA" : "portable") kernel)",
        configuration: .init(metrics: [.wallClock, .throughput, .mallocCountTotal], warmupIterations: 1,
                             maxDuration: .seconds(2), maxIterations: 200)
    ) { benchmark, buffer in
        for i in benchmark.scaledIterations {
            try buffer.withUnsafeMutableBufferPointer { (b) throws(StochasticsError) in
                try NoiseStream.fill(seed: 42, stream: UInt64(i), first: 0, into: b)
            }
            blackHole(buffer.storage[0])
        }
    } setup: {
        NormalBuffer(count: 1_000_000)
    }
    Benchmark(
        "NoiseStream.fillPortable: one stream, 10^6 normals per iteration (portable kernel forced)",
        configuration: .init(metrics: [.wallClock, .throughput, .mallocCountTotal], warmupIterations: 1,
                             maxDuration: .seconds(2), maxIterations: 100)
    ) { benchmark, buffer in
        for i in benchmark.scaledIterations {
            try buffer.withUnsafeMutableBufferPointer { (b) throws(StochasticsError) in
                try NoiseStream.fillPortable(seed: 42, stream: UInt64(i), first: 0, into: b)
            }
            blackHole(buffer.storage[0])
        }
    } setup: {
        NormalBuffer(count: 1_000_000)
    }
    Benchmark(
        "NoiseStream.fillSteps: 64 rollouts × 64 steps × d=2, 122 fills (≈10^6 normals) per iteration",
        configuration: .init(metrics: [.wallClock, .throughput, .mallocCountTotal], warmupIterations: 1,
                             maxDuration: .seconds(2), maxIterations: 200)
    ) { benchmark, buffer in
        for i in benchmark.scaledIterations {
            for c in 0..<122 {
                try buffer.withUnsafeMutableBufferPointer { (b) throws(StochasticsError) in
                    try NoiseStream.fillSteps(seed: 42, streams: UInt64(64 * c)..<UInt64(64 * c + 64),
                                              firstStep: UInt64(64 * i), steps: 64, dimension: 2, into: b)
                }
            }
            blackHole(buffer.storage[0])
        }
    } setup: {
        NormalBuffer(count: 64 * 64 * 2)
    }

    // The two halves of the kernel alone, 10⁶ normals' worth each (5·10⁵ Philox blocks / pairs):
    // where the time of a fill goes.
    Benchmark(
        "kernel part: Philox4x32-10 on lanes, 500000 blocks (10^6 normals' worth per iteration)",
        configuration: .init(metrics: [.wallClock, .throughput, .mallocCountTotal], warmupIterations: 1,
                             maxDuration: .seconds(2), maxIterations: 100)
    ) { benchmark in
        typealias Lanes = Philox4x32.Lanes
        var lane = Lanes()
        for l in lane.indices { lane[l] = UInt64(l) }
        var acc = Lanes()
        for i in benchmark.scaledIterations {
            for g in 0..<(500_000 / Philox4x32.laneWidth) {
                let c2 = Lanes(repeating: UInt64(g * Philox4x32.laneWidth)) &+ lane
                let x = Philox4x32.blocks(Lanes(repeating: UInt64(i)), Lanes(), c2, Lanes(), key: 42, 0)
                acc ^= x.0 ^ x.1 ^ x.2 ^ x.3
            }
        }
        blackHole(acc)
    }
    Benchmark(
        "kernel part: Box–Muller on lanes, 500000 pairs (10^6 normals per iteration)",
        configuration: .init(metrics: [.wallClock, .throughput, .mallocCountTotal], warmupIterations: 1,
                             maxDuration: .seconds(2), maxIterations: 100)
    ) { benchmark in
        typealias Doubles = LaneMath.Doubles
        var offsets = Doubles()
        for l in offsets.indices { offsets[l] = Double(l) * 1e-3 }
        var acc = Doubles()
        for _ in benchmark.scaledIterations {
            for g in 0..<(500_000 / Philox4x32.laneWidth) {
                let u = offsets + Double(g) * 1.9e-6   // stays in (0, 1)
                let (z0, z1) = BoxMuller.pairs(u, 1 - u)
                acc += z0 + z1
            }
        }
        blackHole(acc)
    }

    // The kernel before vectorization, rebuilt from public API in the same binary for a same-run
    // before/after: one scalar Philox block per (stream, step, pair) and the C library's log/cos/sin.
    for (streams, dimension) in [(500_000, 2), (15_625, 64)] {
        Benchmark(
            "normals, scalar libm baseline: \(streams) streams × d=\(dimension) (10^6 per iteration)",
            configuration: .init(metrics: [.wallClock, .throughput, .mallocCountTotal], warmupIterations: 1,
                                 maxDuration: .seconds(2), maxIterations: 100)
        ) { benchmark, buffer in
            for i in benchmark.scaledIterations {
                buffer.storage.withUnsafeMutableBufferPointer { b in
                    var k = 0
                    for s in 0..<UInt64(streams) {
                        guard let address = try? CounterAddress(seed: 42, stream: s, step: UInt64(i)) else { return }
                        for block in 0..<(dimension / 2) {
                            let (w0, w1) = address.words(block: block)
                            let (z0, z1) = BoxMuller.libmPair(UnitInterval.open(w0), UnitInterval.open(w1))
                            b[k] = z0
                            b[k + 1] = z1
                            k += 2
                        }
                    }
                }
                blackHole(buffer.storage[0])
            }
        } setup: {
            NormalBuffer(count: streams * dimension)
        }
    }
}

/// A reusable output buffer (a class, so the benchmark closure can fill it in place).
final class NormalBuffer: @unchecked Sendable {
    var storage: [Double]
    init(count: Int) { storage = [Double](repeating: 0, count: count) }
    func withUnsafeMutableBufferPointer<R>(
        _ body: (UnsafeMutableBufferPointer<Double>) throws(StochasticsError) -> R
    ) throws(StochasticsError) -> R {
        try storage.withUnsafeMutableBufferPointer { (b) throws(StochasticsError) -> R in try body(b) }
    }
}
