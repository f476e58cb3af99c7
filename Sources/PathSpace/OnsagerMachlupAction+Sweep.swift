import LinearAlgebra
import Dynamics
import Parallel

/// The sums of the action over a run of steps (merged in step order by `OrderedReduction`).
struct ActionSums: Mergeable {
    var kinetic = 0.0, divergence = 0.0, even = 0.0, odd = 0.0
    /// Whether every gradient entry the run wrote in full (its interior nodes) is finite.
    var finiteGradient = true
    mutating func merge(_ other: ActionSums) {
        kinetic += other.kinetic; divergence += other.divergence; even += other.even; odd += other.odd
        finiteGradient = finiteGradient && other.finiteGradient
    }
}

/// Per-worker scratch of the batched sweeps (one allocation per worker): f̂, F, ∇·f, ∇(∇·f) at the nodes and
/// midpoints of one chunk of `capacity` steps, 8·d temporaries, and `fixed` (d·d + 1 + d values) for a drift with
/// a constant Jacobian: F, tr F, and d zeros for ∇(∇·f).
struct SweepScratch {
    let mid, fHat, jNode, jMid, divNode, divMid, gdNode, gdMid, tmp, fixed: UnsafeMutablePointer<Double>
    private let base: UnsafeMutablePointer<Double>
    init(capacity c: Int, d: Int) {
        let sizes = [c * d, c * d, c * d * d, c * d * d, c, c, c * d, c * d, 8 * d, d * d + 1 + d]
        base = .allocate(capacity: sizes.reduce(0, +))
        base.initialize(repeating: 0, count: sizes.reduce(0, +))
        var offsets = [Int](), o = 0
        for z in sizes { offsets.append(o); o += z }
        mid = base + offsets[0]; fHat = base + offsets[1]; jNode = base + offsets[2]; jMid = base + offsets[3]
        divNode = base + offsets[4]; divMid = base + offsets[5]; gdNode = base + offsets[6]; gdMid = base + offsets[7]
        tmp = base + offsets[8]; fixed = base + offsets[9]
    }
    func deallocate() { base.deallocate() }
}

extension OnsagerMachlupAction {
    /// One pass over the path: the action's parts and, when `gradient` is given, ∂S/∂x (written in full).
    ///
    /// Step k contributes gL_k to node k and gR_k to node k + 1; node k's entry is always gR_{k−1} + gL_k, in
    /// that order, so the gradient does not depend on the chunking either. A chunk writes its interior nodes
    /// and leaves its two boundary contributions in side arrays that are added afterwards. Every entry of
    /// `gradient` is written (it may come in uninitialised), and a non-finite entry throws
    /// ``PathSpaceError/nonFinite(_:)`` ("action gradient"; checked as it is written, no second pass).
    func sweep(_ path: DiscretePath, gradient: inout [Double], wantGradient: Bool, threads: Int) throws(PathSpaceError) -> ActionValue {
        try requireDimension(path)
        let d = dimension, n = path.steps, h = path.timeStep
        let chunk = Self.chunkSteps
        let chunks = (n + chunk - 1) / chunk
        // A worker claims `group` consecutive chunks at a time and hands their sums over in one batch (the same
        // per-chunk sums, merged in the same order: the same bits).
        let group = Self.chunksPerClaim, groups = (chunks + group - 1) / group
        // F = const (e.g. a linear drift): no firstOrder calls; every step reads the one F, tr F and ∇(∇·f) = 0
        // from `fixed` (stride 0) — the values firstOrder would have written, so the same bits.
        let constant = drift.constantJacobian.flatMap { $0.count == d * d ? $0 : nil }
        var left = [Double](repeating: 0, count: wantGradient ? chunks * d : 0)
        var right = left
        let reduction = OrderedReduction(initial: ActionSums())
        let claim = ChunkCounter()
        let midpoint = discretisation == .midpoint
        gradient.withUnsafeMutableBufferPointer { gBuf in
        left.withUnsafeMutableBufferPointer { lBuf in
        right.withUnsafeMutableBufferPointer { rBuf in
        path.points.withUnsafeBufferPointer { xBuf in
        precision.withUnsafeBufferPointer { pBuf in
            let gOut = UnsafeSendableBuffer(gBuf), lOut = UnsafeSendableBuffer(lBuf), rOut = UnsafeSendableBuffer(rBuf)
            let xs = UnsafeSendablePointer(xBuf.baseAddress!), ps = UnsafeSendablePointer(pBuf.baseAddress!)
            ParallelFor.eachWorker(ThreadCount.workers(threads, units: groups)) { _ in
                var workspace = drift.makeWorkspace(capacity: chunk)
                let s = SweepScratch(capacity: chunk, d: d)
                defer { s.deallocate() }
                let dd = d * d
                if let cf = constant {
                    var trace = 0.0
                    for j in 0..<d { trace += cf[j * d + j] }
                    for e in 0..<dd { s.fixed[e] = cf[e] }
                    s.fixed[dd] = trace  // the d zeros after it stay 0
                }
                let varying = constant == nil
                let jStride = varying ? dd : 0, divStride = varying ? 1 : 0, gdStride = varying ? d : 0
                let jMid = varying ? s.jMid : s.fixed, jNode = varying ? s.jNode : s.fixed
                let divMid = varying ? s.divMid : s.fixed + dd, gdMid = varying ? s.gdMid : s.fixed + dd + 1
                var batch = [ActionSums]()
                batch.reserveCapacity(group)
                let x = UnsafePointer(xs.base), p = UnsafePointer(ps.base)
                let t = s.tmp
                let dx = t, r = t + d, pr = t + 2 * d, pdx = t + 3 * d, pf = t + 4 * d
                let gl = t + 5 * d, gr = t + 6 * d, ftw = t + 7 * d
                let q = 0.25 / h
                while let g = claim.next(below: groups) {
                    batch.removeAll(keepingCapacity: true)
                    for c in g * group..<min(chunks, (g + 1) * group) {
                        let a = c * chunk, b = min(n, a + chunk), m = b - a
                        var sums = ActionSums()
                        if midpoint || varying {
                            for k in 0..<m {
                                for j in 0..<d { s.mid[k * d + j] = 0.5 * (x[(a + k) * d + j] + x[(a + k + 1) * d + j]) }
                            }
                        }
                        let nodes = UnsafeBufferPointer(start: x + a * d, count: m * d)
                        let mids = UnsafeBufferPointer(start: UnsafePointer(s.mid), count: m * d)
                        // f̂ at the nodes (Euler) or the midpoints; F, ∇·f, ∇(∇·f) at the midpoints (and F at the
                        // nodes for the Euler gradient) unless F is constant.
                        drift.evaluate(midpoint ? mids : nodes, count: m, into: .init(start: s.fHat, count: m * d),
                                       workspace: &workspace)
                        if varying {
                            drift.firstOrder(mids, count: m, jacobians: .init(start: s.jMid, count: m * d * d),
                                             divergences: .init(start: s.divMid, count: m),
                                             divergenceGradients: .init(start: s.gdMid, count: m * d), workspace: &workspace)
                            if wantGradient && !midpoint {
                                drift.firstOrder(nodes, count: m, jacobians: .init(start: s.jNode, count: m * d * d),
                                                 divergences: .init(start: s.divNode, count: m),
                                                 divergenceGradients: .init(start: s.gdNode, count: m * d), workspace: &workspace)
                            }
                        }
                        if d == 2 {
                            // The same arithmetic unrolled for d = 2 (the common case; ≈ 2× faster).
                            let p00 = p[0], p01 = p[1], p11 = p[3]
                            for k in 0..<m {
                                let xk = x + (a + k) * 2, f = s.fHat + k * 2
                                let dx0 = xk[2] - xk[0], dx1 = xk[3] - xk[1]
                                let f0 = f[0], f1 = f[1]
                                let r0 = dx0 - h * f0, r1 = dx1 - h * f1
                                let pr0 = p00 * r0 + p01 * r1, pr1 = p01 * r0 + p11 * r1
                                let pdx0 = p00 * dx0 + p01 * dx1, pdx1 = p01 * dx0 + p11 * dx1
                                let pf0 = p00 * f0 + p01 * f1, pf1 = p01 * f0 + p11 * f1
                                let div = 0.5 * h * divMid[k * divStride]
                                sums.kinetic += q * (r0 * pr0 + r1 * pr1)
                                sums.divergence += div
                                sums.even += q * (dx0 * pdx0 + dx1 * pdx1) + 0.25 * h * (f0 * pf0 + f1 * pf1) + div
                                sums.odd += -0.5 * (f0 * pdx0 + f1 * pdx1)
                                guard wantGradient else { continue }
                                let w0 = 2 * q * pr0, w1 = 2 * q * pr1
                                let jac = (midpoint ? jMid : jNode) + k * jStride
                                let ftw0 = jac[0] * w0 + jac[2] * w1, ftw1 = jac[1] * w0 + jac[3] * w1
                                let gd = gdMid + k * gdStride
                                let cl = midpoint ? 0.5 * h : h, cr = midpoint ? 0.5 * h : 0
                                let gl0 = -w0 - cl * ftw0 + 0.25 * h * gd[0], gl1 = -w1 - cl * ftw1 + 0.25 * h * gd[1]
                                let gr0 = w0 - cr * ftw0 + 0.25 * h * gd[0], gr1 = w1 - cr * ftw1 + 0.25 * h * gd[1]
                                let node = (a + k) * 2
                                if k == 0 {
                                    lOut[c * 2] = gl0; lOut[c * 2 + 1] = gl1
                                } else {
                                    // Node a + k is complete now (gR_{k−1} + gL_k).
                                    let g0 = gOut[node] + gl0, g1 = gOut[node + 1] + gl1
                                    gOut[node] = g0; gOut[node + 1] = g1
                                    sums.finiteGradient = sums.finiteGradient && g0.isFinite && g1.isFinite
                                }
                                if k == m - 1 {
                                    rOut[c * 2] = gr0; rOut[c * 2 + 1] = gr1
                                } else {
                                    gOut[node + 2] = gr0; gOut[node + 3] = gr1
                                }
                            }
                        } else {
                        for k in 0..<m {
                            let xk = x + (a + k) * d, xk1 = xk + d, f = UnsafePointer(s.fHat + k * d)
                            for j in 0..<d {
                                dx[j] = xk1[j] - xk[j]
                                r[j] = dx[j] - h * f[j]
                            }
                            SmallDense.multiply(p, r, into: pr, d)
                            SmallDense.multiply(p, dx, into: pdx, d)
                            SmallDense.multiply(p, f, into: pf, d)
                            let kin = q * SmallDense.dot(r, pr, d)
                            let div = 0.5 * h * divMid[k * divStride]
                            sums.kinetic += kin
                            sums.divergence += div
                            sums.even += q * SmallDense.dot(dx, pdx, d) + 0.25 * h * SmallDense.dot(f, pf, d) + div
                            sums.odd += -0.5 * SmallDense.dot(f, pdx, d)
                            guard wantGradient else { continue }
                            // w = D⁻¹r/(2Δt) (in pr); Fᵀw at the node (Euler) or the midpoint.
                            for j in 0..<d { pr[j] *= 2 * q }
                            let jac = UnsafePointer((midpoint ? jMid : jNode) + k * jStride)
                            SmallDense.multiplyTransposed(jac, pr, into: ftw, d)
                            let gd = gdMid + k * gdStride
                            if midpoint {
                                for j in 0..<d {
                                    gl[j] = -pr[j] - 0.5 * h * ftw[j] + 0.25 * h * gd[j]
                                    gr[j] = pr[j] - 0.5 * h * ftw[j] + 0.25 * h * gd[j]
                                }
                            } else {
                                for j in 0..<d {
                                    gl[j] = -pr[j] - h * ftw[j] + 0.25 * h * gd[j]
                                    gr[j] = pr[j] + 0.25 * h * gd[j]
                                }
                            }
                            if k == 0 {
                                for j in 0..<d { lOut[c * d + j] = gl[j] }
                            } else {
                                for j in 0..<d {
                                    let v = gOut[(a + k) * d + j] + gl[j]
                                    gOut[(a + k) * d + j] = v
                                    sums.finiteGradient = sums.finiteGradient && v.isFinite
                                }
                            }
                            if k == m - 1 {
                                for j in 0..<d { rOut[c * d + j] = gr[j] }
                            } else {
                                for j in 0..<d { gOut[(a + k + 1) * d + j] = gr[j] }
                            }
                        }
                        }
                        batch.append(sums)
                    }
                    reduction.submit(batch, firstUnit: g * group)
                }
            }
        }}}}}
        if wantGradient {
            // Chunk boundaries: node a_c = gR_{a_c − 1} + gL_{a_c}; node 0 = 0 + gL_0; node n = gR_{n−1} + 0.
            for c in 0..<chunks {
                let a = c * chunk
                for j in 0..<d { gradient[a * d + j] = (c == 0 ? 0 : right[(c - 1) * d + j]) + left[c * d + j] }
            }
            for j in 0..<d { gradient[n * d + j] = right[(chunks - 1) * d + j] + 0 }
        }
        let sums: ActionSums
        do { sums = try reduction.finish(expecting: chunks) } catch { throw .nonFinite("action sums (\(error))") }
        let value = ActionValue(total: sums.kinetic + sums.divergence, kinetic: sums.kinetic, divergence: sums.divergence,
                                even: sums.even, odd: sums.odd)
        guard value.total.isFinite, value.even.isFinite, value.odd.isFinite else { throw .nonFinite("action on the path") }
        if wantGradient {
            // Interior nodes were checked in the sweep; the chunk-boundary nodes and node n here.
            var boundaryFinite = true
            for c in 0..<chunks { for j in 0..<d { boundaryFinite = boundaryFinite && gradient[c * chunk * d + j].isFinite } }
            for j in 0..<d { boundaryFinite = boundaryFinite && gradient[n * d + j].isFinite }
            guard sums.finiteGradient, boundaryFinite else { throw .nonFinite("action gradient") }
        }
        return value
    }
}
