import LinearAlgebra
import ResourceLimits

/// The non-equilibrium steady state of the naive mean-field dynamics, m* = φ(x + J m*), by Anderson acceleration
/// (docs/theory/spin-fixed-points.md §2; Anderson, J. ACM 12, 547 (1965); the HEAD solver of M. Bal's neqnn code).
///
/// Cost: ≤ `maxIterations` map evaluations, each one N × N × D GEMM (2N²D flops) plus O((m + 1)·N·D); memory
/// (2m + 4)·N·D doubles, checked against the memory budget before allocation.
extension NaiveMeanField {
    /// Solves m = φ(x + J m) from `start` (N × D; nil = all zeros, the "reset" start of the fidelity experiment).
    ///
    /// - Returns: the iterate with the lowest worst-site residual max_i ‖g(m)_i − m_i‖, the step taken from it, the
    ///   residual, the map evaluations used and whether the residual reached `options.tolerance`.
    /// - Throws: ``SpinModelsError/notConverged(operation:iterations:residual:)`` when `options.requireConvergence`
    ///   is set and the tolerance was not reached; shape, non-finite, option and memory errors.
    public func fixedPoint(from start: Matrix? = nil, options: FixedPointOptions = .init()) throws(SpinModelsError) -> FixedPointSolution {
        try options.validate()
        let n = sites, d = space.dimension
        if let start { try checkShape(start, "fixed-point start") }
        try checkWorkspace(window: min(options.window, options.maxIterations))
        let initial = start ?? Matrix(rows: n, columns: d)
        let anderson = AndersonAccelerator(rows: n, columns: d, options: options)
        let scratch = UnsafeMutablePointer<Double>.allocate(capacity: n)
        defer { scratch.deallocate() }
        let outcome = try initial.storage.withUnsafeBufferPointer { (z0) throws(SpinModelsError) -> AndersonAccelerator.Outcome in
            try anderson.solve(initial: z0, tolerance: options.tolerance, operation: "mean-field fixed point") {
                (z, out) throws(SpinModelsError) in
                try evaluateMap(z, into: out, norms: scratch)
            }
        }
        if options.requireConvergence && !outcome.converged {
            throw .notConverged(operation: "mean-field fixed point m = φ(x + J m) (Anderson, tolerance \(options.tolerance))",
                                iterations: outcome.iterations, residual: outcome.residual)
        }
        let iterate = Self.matrix(n, d, outcome.iterate)
        let state = try step(from: iterate)
        return FixedPointSolution(state: state, iterate: iterate, residual: outcome.residual,
                                  iterations: outcome.iterations, converged: outcome.converged)
    }

    /// The worst-site residual max_i ‖φ(x + J m)_i − m_i‖ of any m (N × D): how far m is from a fixed point.
    public func fixedPointResidual(of m: Matrix) throws(SpinModelsError) -> Double {
        try checkShape(m, "magnetizations")
        let next = try step(from: m).magnetizations
        var worst = 0.0
        for i in 0..<sites {
            var s = 0.0
            for j in 0..<space.dimension { let r = next[i, j] - m[i, j]; s += r * r }
            worst = max(worst, s)
        }
        return worst.squareRoot()
    }

    /// Throws unless the Anderson workspace fits the memory budget.
    func checkWorkspace(window: Int) throws(SpinModelsError) {
        guard let doubles = AndersonAccelerator.workspaceCount(rows: sites, columns: space.dimension, window: window),
              doubles <= Int.max / 8 else {
            throw .insufficientMemory("fixed point: the Anderson workspace of \(sites)×\(space.dimension) with window \(window) overflows")
        }
        do { try MemoryBudget.standard.check(bytes: doubles * 8, what: "Anderson fixed-point workspace ((2m + 4)·N·D doubles)") }
        catch { throw .insufficientMemory("\(error)") }
    }

    /// A matrix over column-major storage of the right size.
    static func matrix(_ rows: Int, _ columns: Int, _ storage: [Double]) -> Matrix {
        var m = Matrix(rows: rows, columns: columns)
        m.withUnsafeMutableBufferPointer { p in for k in 0..<p.count { p[k] = storage[k] } }
        return m
    }
}
