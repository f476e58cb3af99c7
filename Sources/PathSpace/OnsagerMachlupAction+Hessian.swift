import LinearAlgebra
import Dynamics
import Parallel

extension OnsagerMachlupAction {
    /// The Hessian ∂²S/∂x_k∂x_l, block-tridiagonal with (n + 1) blocks of d × d (docs/theory/path-space-inference.md §2;
    /// the discrete form of the Jacobi operator M of Eq. 16 of arXiv:2606.28751).
    ///
    /// Step k's term K_k + (Δt/2)∇·f(x̄_k), K_k = r_kᵀD⁻¹r_k/(4Δt), couples x_k and x_{k+1} only. With
    /// J_a = ∂r_k/∂x_a (a ∈ {k, k+1}) and w_k = D⁻¹r_k/(2Δt) its exact second derivative is
    ///
    ///     ∂²/∂x_a∂x_b = J_aᵀD⁻¹J_b/(2Δt)  +  Σ_i (w_k)_i ∂²(r_k)_i/∂x_a∂x_b  +  (Δt/8) ∇∇(∇·f)(x̄_k),
    ///
    /// the Gauss–Newton part, the curvature of f contracted with the residual (the −Σ(ẋ−f)_i∂∂f_i part of
    /// 2D·Q in Eq. 16) and the divergence Hessian (its D∂∂(∇·f) part; the ¼ of (x̄ = (x_k + x_{k+1})/2)² times
    /// Δt/2). Euler: J_k = −I − ΔtF(x_k), J_{k+1} = I, and the curvature −Δt Σ_i w_i∂²f_i(x_k) enters block
    /// (k, k) only; midpoint: J_{k,k+1} = ∓I − (Δt/2)F(x̄_k), and −(Δt/4)Σ_i w_i∂²f_i(x̄_k) enters all four blocks.
    ///
    /// Cost O(n·d³) plus the drift's derivatives (two `secondOrder` calls a step for Euler, one for midpoint);
    /// memory O(n·d²). Each block is a fixed sum in step order, the same bits for any thread count.
    public func hessian(of path: DiscretePath) throws(PathSpaceError) -> BlockTridiagonalMatrix {
        try hessian(of: path, threads: 0)
    }

    /// ``hessian(of:)`` on up to `threads` workers.
    public func hessian(of path: DiscretePath, threads: Int) throws(PathSpaceError) -> BlockTridiagonalMatrix {
        let (diag, sub) = try hessianBlocks(of: path, threads: threads)
        let d = dimension, dd = d * d, n = path.steps
        var out: BlockTridiagonalMatrix
        do { out = try BlockTridiagonalMatrix(blockSize: d, blockCount: n + 1) } catch {
            throw .invalidArgument("Hessian of \(n + 1) blocks of side \(d): \(error)")
        }
        for k in 0...n { out.diagonal[k] = Array(diag[(k * dd)..<((k + 1) * dd)]) }
        for k in 0..<n { out.subdiagonal[k] = Array(sub[(k * dd)..<((k + 1) * dd)]) }
        return out
    }

    /// The Hessian as flat arrays: diagonal blocks (n + 1)·d², sub-diagonal blocks (k + 1, k) n·d², row-major.
    func hessianBlocks(of path: DiscretePath, threads: Int) throws(PathSpaceError) -> (diagonal: [Double], subdiagonal: [Double]) {
        try requireDimension(path)
        let d = dimension, dd = d * d, n = path.steps, h = path.timeStep
        let chunk = Self.chunkSteps
        let chunks = (n + chunk - 1) / chunk
        let midpoint = discretisation == .midpoint
        var diag = [Double](repeating: 0, count: (n + 1) * dd)
        var sub = [Double](repeating: 0, count: n * dd)
        var rightDiag = [Double](repeating: 0, count: n * dd)
        let claim = ChunkCounter()
        diag.withUnsafeMutableBufferPointer { dBuf in
        sub.withUnsafeMutableBufferPointer { sBuf in
        rightDiag.withUnsafeMutableBufferPointer { rBuf in
        path.points.withUnsafeBufferPointer { xBuf in
        precision.withUnsafeBufferPointer { pBuf in
            let dOut = UnsafeSendablePointer(dBuf.baseAddress!), sOut = UnsafeSendablePointer(sBuf.baseAddress!)
            let rOut = UnsafeSendablePointer(rBuf.baseAddress!)
            let xs = UnsafeSendablePointer(xBuf.baseAddress!), ps = UnsafeSendablePointer(pBuf.baseAddress!)
            ParallelFor.eachWorker(ThreadCount.workers(threads, units: chunks)) { _ in
                var workspace = drift.makeWorkspace(capacity: chunk)
                let s = SweepScratch(capacity: chunk, d: d)
                let mats = UnsafeMutablePointer<Double>.allocate(capacity: 6 * dd)
                defer { s.deallocate(); mats.deallocate() }
                let x = UnsafePointer(xs.base), p = UnsafePointer(ps.base)
                let ja = mats, jb = mats + dd, pja = mats + 2 * dd, pjb = mats + 3 * dd, wh = mats + 4 * dd, hd = mats + 5 * dd
                let r = s.tmp, w = s.tmp + d, zero = s.tmp + 2 * d
                for j in 0..<d { zero[j] = 0 }
                let c2 = 0.5 / h
                while let c = claim.next(below: chunks) {
                    let a = c * chunk, m = min(n, a + chunk) - a
                    for k in 0..<m {
                        for j in 0..<d { s.mid[k * d + j] = 0.5 * (x[(a + k) * d + j] + x[(a + k + 1) * d + j]) }
                    }
                    let nodes = UnsafeBufferPointer(start: x + a * d, count: m * d)
                    let mids = UnsafeBufferPointer(start: UnsafePointer(s.mid), count: m * d)
                    let at = midpoint ? mids : nodes
                    drift.evaluate(at, count: m, into: .init(start: s.fHat, count: m * d), workspace: &workspace)
                    drift.firstOrder(at, count: m, jacobians: .init(start: s.jNode, count: m * dd),
                                     divergences: .init(start: s.divNode, count: m),
                                     divergenceGradients: .init(start: s.gdNode, count: m * d), workspace: &workspace)
                    for k in 0..<m {
                        let step = a + k
                        let xk = x + step * d, xk1 = xk + d, f = s.fHat + k * d, jac = s.jNode + k * dd
                        for j in 0..<d { r[j] = xk1[j] - xk[j] - h * f[j] }
                        SmallDense.multiply(p, r, into: w, d)
                        for j in 0..<d { w[j] *= c2 }
                        // J_a (for x_k) and J_b (for x_{k+1}).
                        let half = midpoint ? 0.5 * h : h
                        for i in 0..<d {
                            for j in 0..<d {
                                let e = i == j ? 1.0 : 0.0
                                ja[i * d + j] = -e - half * jac[i * d + j]
                                jb[i * d + j] = midpoint ? e - half * jac[i * d + j] : e
                            }
                        }
                        // P·J_a, P·J_b.
                        for i in 0..<d {
                            for j in 0..<d {
                                var u = 0.0, v = 0.0
                                for l in 0..<d { u += p[i * d + l] * ja[l * d + j]; v += p[i * d + l] * jb[l * d + j] }
                                pja[i * d + j] = u; pjb[i * d + j] = v
                            }
                        }
                        let left = dOut.base + step * dd, right = rOut.base + step * dd, low = sOut.base + step * dd
                        for i in 0..<d {
                            for j in 0..<d {
                                var aa = 0.0, bb = 0.0, ba = 0.0
                                for l in 0..<d {
                                    aa += ja[l * d + i] * pja[l * d + j]
                                    bb += jb[l * d + i] * pjb[l * d + j]
                                    ba += jb[l * d + i] * pja[l * d + j]
                                }
                                left[i * d + j] = c2 * aa
                                right[i * d + j] = c2 * bb
                                low[i * d + j] = c2 * ba
                            }
                        }
                        // Curvature of f weighted by w, and the divergence Hessian at the midpoint.
                        let xm = UnsafeBufferPointer(start: UnsafePointer(s.mid + k * d), count: d)
                        let wb = UnsafeBufferPointer(start: UnsafePointer(w), count: d)
                        let whb = UnsafeMutableBufferPointer(start: wh, count: dd), hdb = UnsafeMutableBufferPointer(start: hd, count: dd)
                        if midpoint {
                            drift.secondOrder(at: xm, weights: wb, weightedHessian: whb, divergenceHessian: hdb, workspace: &workspace)
                            for e in 0..<dd {
                                let v = -0.25 * h * wh[e] + 0.125 * h * hd[e]
                                left[e] += v; right[e] += v; low[e] += v
                            }
                        } else {
                            drift.secondOrder(at: UnsafeBufferPointer(start: xk, count: d), weights: wb,
                                              weightedHessian: whb, divergenceHessian: hdb, workspace: &workspace)
                            for e in 0..<dd { left[e] += -h * wh[e] }
                            drift.secondOrder(at: xm, weights: UnsafeBufferPointer(start: UnsafePointer(zero), count: d),
                                              weightedHessian: whb, divergenceHessian: hdb, workspace: &workspace)
                            for e in 0..<dd {
                                let v = 0.125 * h * hd[e]
                                left[e] += v; right[e] += v; low[e] += v
                            }
                        }
                    }
                }
            }
        }}}}}
        // Block (k, k) = (step k − 1's part) + (step k's part).
        for k in stride(from: n, through: 1, by: -1) {
            for e in 0..<dd { diag[k * dd + e] = rightDiag[(k - 1) * dd + e] + (k < n ? diag[k * dd + e] : 0) }
        }
        guard diag.allSatisfy(\.isFinite), sub.allSatisfy(\.isFinite) else { throw .nonFinite("action Hessian") }
        return (diag, sub)
    }
}
