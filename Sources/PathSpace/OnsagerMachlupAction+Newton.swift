import Foundation
import LinearAlgebra
import Dynamics

/// The result of ``OnsagerMachlupAction/minimise(from:freeNodes:terminalCost:options:operation:threads:)``.
struct NewtonResult {
    var path: DiscretePath
    var value: ActionValue
    var iterations: Int
    var residual: Double
    /// ln det of the Hessian of S (+ Φ) over the free nodes at the minimiser (0 when no node is free).
    var logDeterminant: Double
}

extension OnsagerMachlupAction {
    /// Damped Newton for argmin S[x] + Φ(x_n) over the nodes `freeNodes` (the others stay fixed)
    /// (docs/theory/path-space-inference.md §3).
    ///
    /// Each iteration: the gradient g and the block-tridiagonal Hessian H over the free nodes
    /// (``hessianBlocks(of:threads:)``, plus Φ's weight W in the last block when x_n is free), the Newton step
    /// H δ = −g by band Cholesky (LAPACK `dpbtrf`/`dpbtrs`, kd = 2d − 1; ``NewtonStep``), and a backtracking
    /// (Armijo, c = 10⁻⁴, halving) line search on S + Φ. Where H is not positive definite (away from a minimum of a
    /// non-convex S) the step is solved by band LU (`dgbtrf`/`dgbtrs`, i.e. `dgbsv`) and kept if it descends
    /// (gᵀδ < 0); otherwise a Levenberg shift H + μI is used, μ = 10⁻⁸·max|H_ii| growing ×10 until the band
    /// Cholesky succeeds, which makes δ a descent direction.
    ///
    /// The line search accepts a trial whose S + Φ exceeds the Armijo bound by at most 10⁻¹²·max(1, |S + Φ|), the
    /// rounding of the sum: near the minimum the predicted decrease ½gᵀH⁻¹g falls below what S can resolve, and
    /// the full Newton step must still be taken there (the gradient, not S, decides convergence).
    /// Converged when ‖g‖ ≤ tolerance · max(1, ‖g₀‖) (``NewtonOptions``), or at the rounding floor of the gradient
    /// (which grows with n and 1/(DΔt)): after a full Newton step that moved no node by more than
    /// 10⁻¹³·max(1, |x|_∞), or that left a relative gradient norm ≤ 10⁻⁶ above half its previous value (Newton
    /// converges quadratically, so a step that does not shrink the gradient has reached its rounding noise). Cost per iteration O(n·d³) plus
    /// the drift's derivatives.
    ///
    /// - Throws: ``PathSpaceError/notConverged(operation:iterations:residual:)`` after `maxIterations`
    ///   iterations or when the line search fails far from the floor; ``PathSpaceError/nonFinite(_:)``.
    func minimise(from start: DiscretePath, freeNodes: ClosedRange<Int>, terminalCost: TerminalCost?,
                  options: NewtonOptions, operation: String, threads: Int = 0) throws(PathSpaceError) -> NewtonResult {
        guard options.maxIterations >= 0, options.tolerance.isFinite, options.tolerance >= 0 else {
            throw .invalidArgument("\(operation): Newton options need maxIterations ≥ 0 and a finite tolerance ≥ 0")
        }
        let d = dimension, dd = d * d, n = start.steps
        let first = freeNodes.lowerBound, last = freeNodes.upperBound
        let m = last - first + 1
        var path = start
        func objective(_ p: DiscretePath) throws(PathSpaceError) -> (ActionValue, Double) {
            let v = try value(of: p, threads: threads)
            return (v, v.total + (terminalCost.map { $0.value(at: p.state(n)) } ?? 0))
        }
        var iterations = 0
        var g0 = 0.0
        var atFloor = false
        var previousResidual = Double.infinity, lastStepFull = false
        while true {
            let (v, gS) = try valueAndGradient(of: path, threads: threads)
            var total = v.total, g = gS
            if let phi = terminalCost {
                let xn = path.state(n)
                total += phi.value(at: xn)
                let gp = phi.gradient(at: xn)
                for j in 0..<d { g[n * d + j] += gp[j] }
            }
            let gFree = Array(g[(first * d)..<((last + 1) * d)])
            let gNorm = (gFree.reduce(0) { $0 + $1 * $1 }).squareRoot()
            if iterations == 0 { g0 = gNorm }
            let residual = gNorm / max(1, g0)
            // The rounding floor: a full Newton step that no longer shrinks a small gradient.
            if lastStepFull, residual <= 1e-6, residual >= 0.5 * previousResidual { atFloor = true }
            previousResidual = residual
            // Hessian over the free nodes (needed for the log-determinant at the end too).
            let (diagAll, subAll) = try hessianBlocks(of: path, threads: threads)
            var diag = Array(diagAll[(first * dd)..<((last + 1) * dd)])
            let sub = m > 1 ? Array(subAll[(first * dd)..<(last * dd)]) : []
            if let phi = terminalCost, last == n {
                for e in 0..<dd { diag[(m - 1) * dd + e] += phi.weightRowMajor[e] }
            }
            let hessian = try NewtonStep.blocks(diag, sub, d: d, m: m)
            let factor = NewtonStep.cholesky(hessian)
            if residual <= options.tolerance || atFloor {
                return NewtonResult(path: path, value: v, iterations: iterations, residual: residual,
                                    logDeterminant: factor?.logDeterminant ?? .nan)
            }
            guard iterations < options.maxIterations else {
                throw .notConverged(operation: operation, iterations: iterations, residual: residual)
            }
            // Newton step: band Cholesky; where H is not positive definite, band LU if its step descends, else a
            // Levenberg shift.
            let rhs = gFree.map { -$0 }
            let step = try NewtonStep.solve(hessian, factor: factor, rhs: rhs, operation: operation)
            guard step.allSatisfy(\.isFinite) else { throw .nonFinite("\(operation): Newton step") }
            var xScale = 1.0, stepNorm = 0.0
            for e in path.points { xScale = max(xScale, abs(e)) }
            for e in step { stepNorm = max(stepNorm, abs(e)) }
            let tiny = stepNorm <= 1e-13 * xScale
            let slope = zip(gFree, step).reduce(0) { $0 + $1.0 * $1.1 }
            var alpha = 1.0, accepted = false
            var trial = path
            for _ in 0..<60 {
                for i in 0..<(m * d) { trial.points[first * d + i] = path.points[first * d + i] + alpha * step[i] }
                if let o = try? objective(trial), o.1.isFinite,
                   o.1 <= total + 1e-4 * alpha * slope + 1e-12 * max(1, abs(total)) {
                    accepted = true
                    break
                }
                alpha *= 0.5
            }
            guard accepted else {
                throw .notConverged(operation: operation + " (the line search failed)", iterations: iterations, residual: residual)
            }
            path = trial
            iterations += 1
            atFloor = atFloor || (tiny && alpha == 1)
            lastStepFull = alpha == 1
        }
    }
}

/// The linear algebra of one Newton step on the block-tridiagonal Hessian over the free nodes.
enum NewtonStep {
    /// The free-node Hessian from flat diagonal (m·d²) and sub-diagonal ((m − 1)·d²) blocks.
    static func blocks(_ diag: [Double], _ sub: [Double], d: Int, m: Int) throws(PathSpaceError) -> BlockTridiagonalMatrix {
        var h: BlockTridiagonalMatrix
        do { h = try BlockTridiagonalMatrix(blockSize: d, blockCount: m) } catch {
            throw .invalidArgument("Newton Hessian of \(m) blocks of side \(d): \(error)")
        }
        let dd = d * d
        for k in 0..<m { h.diagonal[k] = Array(diag[(k * dd)..<((k + 1) * dd)]) }
        for k in 0..<(m - 1) { h.subdiagonal[k] = Array(sub[(k * dd)..<((k + 1) * dd)]) }
        return h
    }

    /// The band Cholesky factor (`dpbtrf`), nil when H is not positive definite.
    static func cholesky(_ h: BlockTridiagonalMatrix) -> BandCholeskyFactorization? { try? h.bandCholesky() }

    /// δ with H δ = rhs (rhs = −g): Cholesky when `factor` exists; else band LU kept if rhs·δ > 0 (descent);
    /// else the Levenberg-shifted Cholesky solve.
    static func solve(_ h: BlockTridiagonalMatrix, factor: BandCholeskyFactorization?, rhs: [Double],
                      operation: String) throws(PathSpaceError) -> [Double] {
        do {
            if let factor { return try factor.solve(rhs) }
            if let lu = try? BandLUFactorization(h.symmetricBand()), let step = try? lu.solve(rhs),
               step.allSatisfy(\.isFinite), zip(step, rhs).reduce(0, { $0 + $1.0 * $1.1 }) > 0 {
                return step
            }
            let d = h.blockSize
            var scale = 0.0
            for block in h.diagonal { for i in 0..<d { scale = max(scale, abs(block[i * d + i])) } }
            var mu = 1e-8 * max(scale, 1e-300)
            for _ in 0..<40 {
                var shifted = h
                for k in 0..<h.blockCount { for i in 0..<d { shifted.diagonal[k][i * d + i] += mu } }
                if let f = cholesky(shifted) { return try f.solve(rhs) }
                mu *= 10
            }
        } catch {
            throw .nonFinite("\(operation): Newton step (\(error))")
        }
        throw .notPositiveDefinite("\(operation): the Levenberg-shifted Newton Hessian")
    }
}

extension TerminalCost {
    /// W row-major.
    var weightRowMajor: [Double] {
        let d = weight.rows
        return (0..<(d * d)).map { weight[$0 / d, $0 % d] }
    }

    /// Φ(x) = ½ (x − target)ᵀ W (x − target).
    func value(at x: [Double]) -> Double {
        let d = target.count
        var s = 0.0
        for i in 0..<d { for j in 0..<d { s += (x[i] - target[i]) * weight[i, j] * (x[j] - target[j]) } }
        return 0.5 * s
    }

    /// ∇Φ = W (x − target) (W symmetric).
    func gradient(at x: [Double]) -> [Double] {
        let d = target.count
        return (0..<d).map { i in (0..<d).reduce(0) { $0 + weight[i, $1] * (x[$1] - target[$1]) } }
    }
}
