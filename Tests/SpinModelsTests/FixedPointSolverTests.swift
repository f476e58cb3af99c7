import Foundation
import LinearAlgebra
import SpinModels
import Testing

/// Seeded random systems for the fixed-point tests: J = scale·softmax(randn) row-wise, drive x_i = (u/β) R û_i.
enum FixedPointSystems {
    /// Standard normals from SplitMix64 (seeded) and Box–Muller: test fixtures only.
    static func normals(_ count: Int, seed: UInt64) -> [Double] {
        var state = seed &* 0x9E37_79B9_7F4A_7C15 &+ 0x1234_5678
        func next() -> Double {
            state &+= 0x9E37_79B9_7F4A_7C15
            var z = state
            z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
            z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
            z ^= z >> 31
            return (Double(z >> 11) + 0.5) / 9_007_199_254_740_992.0
        }
        var out = [Double]()
        out.reserveCapacity(count + 1)
        while out.count < count {
            let u = next(), v = next()
            let r = (-2 * log(u)).squareRoot()
            out.append(r * cos(2 * Double.pi * v)); out.append(r * sin(2 * Double.pi * v))
        }
        return Array(out.prefix(count))
    }

    static func softmaxCouplings(sites n: Int, scale: Double, seed: UInt64) throws -> Matrix {
        let z = normals(n * n, seed: seed)
        var j = Matrix(rows: n, columns: n)
        for i in 0..<n {
            let row = (0..<n).map { z[i * n + $0] }
            let top = row.max()!
            let e = row.map { exp($0 - top) }
            let s = e.reduce(0, +)
            for k in 0..<n { j[i, k] = scale * e[k] / s }
        }
        return j
    }

    static func drive(sites n: Int, space: SpinSpace, strength u: Double, beta: Double, seed: UInt64) throws -> Matrix {
        let d = space.dimension
        let z = normals(n * d, seed: seed)
        var x = Matrix(rows: n, columns: d)
        for i in 0..<n {
            let norm = (0..<d).map { z[i * d + $0] * z[i * d + $0] }.reduce(0, +).squareRoot()
            for c in 0..<d { x[i, c] = (u / beta) * space.radius * z[i * d + c] / norm }
        }
        return x
    }

    static func system(sites n: Int, dimension: Int, scale: Double, u: Double, beta: Double, seed: UInt64,
                       response: SpinResponse = .largeDimension) throws -> NaiveMeanField {
        let space = try SpinSpace(dimension: dimension)
        return try NaiveMeanField(couplings: softmaxCouplings(sites: n, scale: scale, seed: seed),
                                  inputs: drive(sites: n, space: space, strength: u, beta: beta, seed: seed + 1),
                                  beta: beta, space: space, response: response)
    }

    /// m ← φ(x + J m) `steps` times from m.
    static func picard(_ mf: NaiveMeanField, from start: Matrix? = nil, steps: Int) throws -> Matrix {
        var m = start ?? Matrix(rows: mf.sites, columns: mf.space.dimension)
        for _ in 0..<steps { m = try mf.step(from: m).magnetizations }
        return m
    }
}

@Suite struct FixedPointSolverTests {
    /// The §9 reference fixed point m* (quoted to 10 digits) by Anderson, to 1e-9, in far fewer map evaluations
    /// than the 500 Picard steps of the reference.
    @Test func referenceFixedPoint() throws {
        let mf = ReferenceSystem.meanField
        let solution = try mf.fixedPoint(options: FixedPointOptions(maxIterations: 60, tolerance: 1e-13))
        #expect(solution.converged)
        #expect(solution.iterations < 40)
        #expect(solution.residual <= 1e-13)
        let want: [[Double]] = [[0.6189747135, 0.1180864016, 0.0578310271], [0.1115414697, 0.6175024689, 0.0753880611],
                                [0.4284167719, 0.1412850585, 0.4097288521]]
        for i in 0..<3 {
            for c in 0..<3 { #expect(abs(solution.magnetizations[i, c] - want[i][c]) < 1e-9) }
            for c in 3..<8 { #expect(abs(solution.magnetizations[i, c]) < 1e-15) }
        }
        #expect(abs(try mf.fixedPointResidual(of: solution.magnetizations)) < 1e-12)
    }

    /// Anderson agrees with 2000 Picard steps on a contracting random system (N = 24, D = 16, both responses) to
    /// 1e-10, and needs fewer evaluations than Picard needs to reach the same tolerance.
    @Test(arguments: [SpinResponse.largeDimension, .exact])
    func andersonAgreesWithPicard(response: SpinResponse) throws {
        let mf = try FixedPointSystems.system(sites: 24, dimension: 16, scale: 1, u: 1, beta: 1.5, seed: 11, response: response)
        let picard = try FixedPointSystems.picard(mf, steps: 2000)
        let solution = try mf.fixedPoint(options: FixedPointOptions(maxIterations: 100, tolerance: 1e-12))
        #expect(solution.converged)
        #expect(solution.magnetizations.maxAbsDifference(picard) < 1e-10)
        var m = Matrix(rows: 24, columns: 16), picardSteps = 0
        while try mf.fixedPointResidual(of: m) > 1e-12 && picardSteps < 2000 {
            m = try mf.step(from: m).magnetizations; picardSteps += 1
        }
        #expect(solution.iterations < picardSteps)
    }

    /// A start far from the fixed point converges to the same point; `requireConvergence` turns a budget that is
    /// too small into a notConverged error, and without it the flag is false and the residual is reported.
    @Test func startAndConvergenceFlag() throws {
        let mf = ReferenceSystem.meanField
        let start = Matrix(rows: 3, columns: 8, repeating: -0.5)
        let a = try mf.fixedPoint(from: start, options: FixedPointOptions(maxIterations: 80, tolerance: 1e-12))
        let b = try mf.fixedPoint(options: FixedPointOptions(maxIterations: 80, tolerance: 1e-12))
        #expect(a.converged && b.converged)
        #expect(a.magnetizations.maxAbsDifference(b.magnetizations) < 1e-11)
        let short = try mf.fixedPoint(options: FixedPointOptions(maxIterations: 2, tolerance: 1e-12))
        #expect(!short.converged)
        #expect(short.iterations == 2)
        #expect(abs(short.residual - (try mf.fixedPointResidual(of: short.iterate))) < 1e-15)
        #expect(throws: SpinModelsError.self) {
            try mf.fixedPoint(options: FixedPointOptions(maxIterations: 2, tolerance: 1e-12, requireConvergence: true))
        }
        #expect(throws: SpinModelsError.self) { try mf.fixedPoint(options: FixedPointOptions(maxIterations: 0)) }
        #expect(throws: SpinModelsError.self) { try mf.fixedPoint(from: Matrix(rows: 2, columns: 8)) }
    }
}
