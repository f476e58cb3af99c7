import LinearAlgebra
import Dynamics
import ResourceLimits

extension OnsagerMachlupAction {
    /// The deterministic rollout of the same discretisation from x₀ (`steps` steps of Δt = `timeStep`): the path
    /// whose kinetic term vanishes (r_k = 0 for every k).
    ///
    /// - Euler: forward Euler x_{k+1} = x_k + Δt f(x_k).
    /// - Midpoint: the implicit midpoint rule x_{k+1} = x_k + Δt f((x_k + x_{k+1})/2), each step solved by Newton
    ///   on G(y) = y − x_k − Δt f((x_k + y)/2) with G′ = I − (Δt/2)F (dense LU, d × d) from the Euler predictor,
    ///   until |G|_∞ ≤ 1e-14·(1 + |y|_∞) (at most 50 iterations; a step that does not converge throws).
    ///
    /// Cost O(n·d) drift evaluations (Euler) or O(n·d³ · iterations) (midpoint).
    /// - Throws: ``PathSpaceError`` for a bad x₀, step count or Δt, or a rollout that leaves the finite numbers.
    public func rollout(from x0: [Double], steps: Int, timeStep: Double) throws(PathSpaceError) -> DiscretePath {
        try checkStart(x0, steps: steps, operation: "rollout")
        guard timeStep.isFinite, timeStep > 0 else { throw .invalidArgument("time step must be finite and > 0, got \(timeStep)") }
        try checkMemory(steps: steps, blocksPerNode: 0, what: "rollout")
        let d = dimension, h = timeStep
        var points = [Double](repeating: 0, count: (steps + 1) * d)
        for j in 0..<d { points[j] = x0[j] }
        var ws = drift.makeWorkspace(capacity: 1)
        var f = [Double](repeating: 0, count: d), y = f, g = f, xm = f
        var jac = [Double](repeating: 0, count: d * d), div = [0.0], gd = f
        var piv = [Int](repeating: 0, count: d)
        for k in 0..<steps {
            let xk = Array(points[(k * d)..<((k + 1) * d)])
            evaluate(xk, into: &f, &ws)
            for j in 0..<d { y[j] = xk[j] + h * f[j] }
            if discretisation == .midpoint {
                var converged = false, last = Double.nan
                for _ in 0..<50 {
                    for j in 0..<d { xm[j] = 0.5 * (xk[j] + y[j]) }
                    evaluate(xm, into: &f, &ws)
                    var gNorm = 0.0, yNorm = 0.0
                    for j in 0..<d { g[j] = y[j] - xk[j] - h * f[j]; gNorm = max(gNorm, abs(g[j])); yNorm = max(yNorm, abs(y[j])) }
                    last = gNorm / (1 + yNorm)
                    guard gNorm.isFinite else { break }
                    if gNorm <= 1e-14 * (1 + yNorm) { converged = true; break }
                    xm.withUnsafeBufferPointer { xb in
                        jac.withUnsafeMutableBufferPointer { jb in
                            div.withUnsafeMutableBufferPointer { db in
                                gd.withUnsafeMutableBufferPointer { gb in
                                    drift.firstOrder(xb, count: 1, jacobians: jb, divergences: db, divergenceGradients: gb, workspace: &ws)
                                }
                            }
                        }
                    }
                    for i in 0..<d { for j in 0..<d { jac[i * d + j] = (i == j ? 1 : 0) - 0.5 * h * jac[i * d + j] } }
                    let ok = jac.withUnsafeMutableBufferPointer { jb in
                        piv.withUnsafeMutableBufferPointer { pb in
                            g.withUnsafeMutableBufferPointer { gb -> Bool in
                                guard SmallDense.luFactor(jb.baseAddress!, pb.baseAddress!, d) else { return false }
                                SmallDense.luSolve(jb.baseAddress!, pb.baseAddress!, gb.baseAddress!, d)
                                return true
                            }
                        }
                    }
                    guard ok else { break }
                    for j in 0..<d { y[j] -= g[j] }
                }
                guard converged else {
                    throw .notConverged(operation: "implicit midpoint rollout step \(k)", iterations: 50, residual: last)
                }
            }
            guard y.allSatisfy(\.isFinite) else { throw .nonFinite("rollout state at step \(k + 1)") }
            for j in 0..<d { points[(k + 1) * d + j] = y[j] }
        }
        return try DiscretePath(points: points, dimension: d, timeStep: h)
    }

    /// f(x) for one point.
    func evaluate(_ x: [Double], into f: inout [Double], _ ws: inout F.Workspace) {
        x.withUnsafeBufferPointer { xb in
            f.withUnsafeMutableBufferPointer { fb in drift.evaluate(xb, count: 1, into: fb, workspace: &ws) }
        }
    }

    /// The range checks every path operation starts with: steps in 1…2⁴⁰, x₀ of length d and finite.
    func checkStart(_ x0: [Double], steps: Int, operation: String) throws(PathSpaceError) {
        do { try CountLimit.require(steps, "steps", atLeast: 1) } catch { throw .invalidArgument("\(operation): \(error)") }
        guard x0.count == dimension else {
            throw .dimensionMismatch("\(operation): x0 has \(x0.count) components, the drift has dimension \(dimension)")
        }
        guard x0.allSatisfy(\.isFinite) else { throw .nonFinite("\(operation): x0") }
    }

    /// Checks the horizon T and returns Δt = T/n.
    func timeStep(horizon: Double, steps: Int, operation: String) throws(PathSpaceError) -> Double {
        guard horizon.isFinite, horizon > 0 else {
            throw .invalidArgument("\(operation): horizon must be finite and > 0, got \(horizon)")
        }
        let h = horizon / Double(steps)
        guard h > 0, h.isFinite else { throw .invalidArgument("\(operation): time step T/n = \(h) is not positive") }
        return h
    }

    /// Overflow and memory-budget check of the O(n·d²) buffers of a path operation, before any is allocated:
    /// 8 vectors of (n + 1)·d values, and `blocksPerNode` d × d blocks a node (Newton: the Hessian's diagonal,
    /// sub-diagonal and per-step parts, the free-node copy, its band storage and band factor, and the band LU of
    /// the indefinite fallback, ≈ 16).
    func checkMemory(steps: Int, blocksPerNode: Int, what: String) throws(PathSpaceError) {
        var plan = AllocationPlan(what)
        plan.add(.init(steps + 1, "nodes"), .init(dimension, "d"), .init(8, "vectors"), .init(8, "bytes"))
        if blocksPerNode > 0 {
            plan.add(.init(steps + 1, "nodes"), .init(dimension, "d"), .init(dimension, "d"), .init(blocksPerNode, "blocks"),
                     .init(8, "bytes"))
        }
        do { try MemoryBudget.standard.check(plan) } catch { throw .invalidArgument("\(error)") }
    }
}
