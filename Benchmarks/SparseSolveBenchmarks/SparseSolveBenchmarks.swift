// Sparse solve of Scharfetter–Gummel Fokker–Planck generators (module LinearAlgebra, Sparse/).
//
//   cd Benchmarks && swift package benchmark --target SparseSolveBenchmarks
//
// Problems: the finite-volume generator of dx = g(x) dt + √2 dW on n^d cells of [−5, 5]^d with the rotating drift
// g = −x + 3 R₉₀ x in the (x₁, x₂) plane (zero flux at the walls, the centre cell pinned to P = 1: a nonsingular,
// nonsymmetric M-matrix, 5-point in 2-D, 7-point in 3-D), built in `setup`, outside the measured region. Each
// iteration factors/iterates from scratch, as FokkerPlanck does once per grid.

import Benchmark
import Foundation
import LinearAlgebra

/// The pinned Scharfetter–Gummel system (A, b) on n^d cells.
struct ScharfetterGummelProblem: Sendable {
    let a: SparseMatrix
    let b: [Double]

    init(dimension d: Int, cells n: Int, halfWidth l: Double = 5, rotation: Double = 3) throws {
        let h = 2 * l / Double(n)
        var count = 1
        for _ in 0..<d { count *= n }
        var strides = [Int](repeating: 1, count: d)
        for e in 1..<d { strides[e] = strides[e - 1] * n }
        var pinned = 0
        for e in 0..<d { pinned += (n / 2) * strides[e] }
        func bernoulli(_ z: Double) -> Double { abs(z) < 1e-10 ? 1 - z / 2 : z / expm1(z) }
        var triplets: [(row: Int, column: Int, value: Double)] = [(pinned, pinned, 1)]
        triplets.reserveCapacity(4 * d * count + 1)
        var rhs = [Double](repeating: 0, count: count)
        rhs[pinned] = 1
        var c = [Int](repeating: 0, count: d), face = [Double](repeating: 0, count: d)
        for i in 0..<count {
            var r = i
            for e in 0..<d { c[e] = r % n; r /= n }
            for e in 0..<d where c[e] + 1 < n {
                let j = i + strides[e]
                for k in 0..<d { face[k] = -l + (Double(c[k]) + 0.5) * h }
                face[e] += h / 2
                let u = -face[e] + (e == 0 ? rotation * face[1] : e == 1 ? -rotation * face[0] : 0)
                let wij = bernoulli(-u * h) / (h * h), wji = bernoulli(u * h) / (h * h)
                for (row, other, out, into) in [(i, j, wij, wji), (j, i, wji, wij)] where row != pinned {
                    triplets.append((row, row, out))
                    if other == pinned { rhs[row] += into } else { triplets.append((row, other, -into)) }
                }
            }
        }
        a = try SparseMatrix(rows: count, columns: count, triplets: triplets)
        b = rhs
    }
}

let sparseMetrics: [BenchmarkMetric] = [.wallClock, .peakMemoryResident]

let benchmarks: @Sendable () -> Void = {
    let cases: [(name: String, dimension: Int, cells: Int, method: SparseSolveMethod)] = [
        ("2-D 320² direct (UMFPACK)", 2, 320, .direct),
        ("2-D 320² iterative (ILU(0)-BiCGSTAB)", 2, 320, .iterative),
        ("2-D 320² automatic", 2, 320, .automatic),
        ("3-D 24³ direct (UMFPACK)", 3, 24, .direct),
        ("3-D 40³ iterative (ILU(0)-BiCGSTAB)", 3, 40, .iterative),
        ("3-D 40³ automatic", 3, 40, .automatic),
        ("3-D 64³ automatic", 3, 64, .automatic),
    ]
    for c in cases {
        Benchmark("sparse solve \(c.name)",
                  configuration: .init(metrics: sparseMetrics, warmupIterations: 1, maxDuration: .seconds(5),
                                       maxIterations: 5)) { benchmark, problem in
            for _ in benchmark.scaledIterations {
                blackHole(try problem.a.solve(problem.b, options: SparseSolveOptions(method: c.method)))
            }
        } setup: {
            try ScharfetterGummelProblem(dimension: c.dimension, cells: c.cells)
        }
    }
}
