import Foundation

/// Analytic derivatives of the softmax attention drift up to third order, as joint cumulants of the
/// attention distribution (docs/theory/path-space.md §5, Eqs. 20–22 of arXiv:2606.28751).
///
/// **Why cumulants.** The logits ℓ_m(x) = β xᵀ W k_m are linear in x with constant gradients
/// g_m = β W k_m (column m of G = β W Kᵀ). So ln Z(x) = ln Σ_m exp(xᵀ g_m) is the cumulant generating
/// function of the random vector g under the uniform law on the slots, and the attention a(x) is that
/// law exponentially tilted by x. For any slot function φ_m that does not depend on x,
/// ∂/∂x_j E_a[φ] = Cov_a(φ, g_j); applied repeatedly, the derivative of a joint cumulant adds a g:
/// ∂/∂x_k κ_n(φ¹, …, φⁿ) = κ_{n+1}(φ¹, …, φⁿ, g_k). The readout y(x) = E_a[v] (values v_m = k_m, tied)
/// therefore has
///
///     ∂y_i/∂x_j             = κ₂(v_i, g_j)           = E_a[ṽ_i g̃_j]                       (= β C Wᵀ, Eqs. 21–22)
///     ∂²y_i/∂x_j∂x_k         = κ₃(v_i, g_j, g_k)      = E_a[ṽ_i g̃_j g̃_k]
///     ∂³y_i/∂x_j∂x_k∂x_l     = κ₄(v_i, g_j, g_k, g_l) = E_a[ṽ_i g̃_j g̃_k g̃_l]
///                              − E[ṽ_i g̃_j] E[g̃_k g̃_l] − E[ṽ_i g̃_k] E[g̃_j g̃_l] − E[ṽ_i g̃_l] E[g̃_j g̃_k]
///
/// with centred slot quantities ṽ_m = v_m − v̄, g̃_m = g_m − ḡ (v̄ = E_a[v], ḡ = E_a[g]). For
/// f = y − λx this gives, with t_m = ṽ_m·g̃_m, Γ = E_a[g̃ g̃ᵀ] and C_vg = E_a[ṽ g̃ᵀ]:
///
///     F                     = C_vg − λI
///     ∇·f                   = E_a[t] − λd                                               (Eq. 20)
///     ∇(∇·f)_k              = Σ_i κ₃(v_i, g_i, g_k)        = E_a[t g̃_k]
///     ∂_k∂_l(∇·f)           = Σ_i κ₄(v_i, g_i, g_k, g_l)   = E_a[t g̃_k g̃_l] − (tr C_vg) Γ_kl − A_kl − A_lk,
///                             A_kl = Σ_i (C_vg)_ik Γ_il = E_a[g̃_k (Γ ṽ)_l]
///     Σ_i w_i ∂²f_i/∂x_j∂x_k = κ₃(w·v, g_j, g_k)            = E_a[(w·ṽ) g̃_j g̃_k]
///
/// (the leak −λx contributes only to F and ∇·f). Every quantity is a sum over the M slots of
/// O(d²) work: O(M d²) per point, no d × d × d tensor is formed.
///
/// **Same attention as `evaluate`.** The scores X·G go through the same 16-row-blocked `dgemm` and
/// the same stable softmax (subtract the row maximum) as ``SoftmaxAttentionDrift/evaluate(_:count:into:workspace:)``,
/// so f and its derivatives see identical weights a_m, and a point's derivatives do not depend on
/// the batch it is evaluated in (bit for bit). At saturation (one a_m → 1) every cumulant vanishes
/// smoothly; weights that underflow to 0 drop out exactly.
///
/// **Workspace.** ``DriftScratch`` from ``makeWorkspace(capacity:)``: the n × M scores hold the
/// attention weights, and the row-block padding buffers (≥ 16·max(d, M) doubles each, free once the
/// `dgemm` is done) hold the per-point vectors v̄, ḡ, ṽ_m, g̃_m and Γṽ_m. No allocation per call.
extension SoftmaxAttentionDrift: DifferentiableDrift {
    /// Writes the attention weights of `count` points (row-major count × d) into `workspace.scores`
    /// (row-major count × M): the same operations, in the same order, as in `evaluate`.
    func attentionWeights(_ x: UnsafePointer<Double>, count: Int, workspace: DriftScratch) {
        let m = slotCount
        let s = workspace.scores
        projected.withUnsafeBufferPointer { g in
            RowBlockedProduct.multiply(x, rows: count, inner: dimension, g.baseAddress!, columns: m, transposed: false,
                                       into: s, padIn: workspace.padIn, padOut: workspace.padOut)
        }
        for i in 0..<count {
            let row = s + i * m
            var top = row[0]
            for j in 1..<m where row[j] > top { top = row[j] }
            var total = 0.0
            for j in 0..<m { let e = exp(row[j] - top); row[j] = e; total += e }
            let inv = 1 / total
            for j in 0..<m { row[j] *= inv }
        }
    }

    /// v̄ = Σ_m a_m k_m into `vbar`, ḡ = Σ_m a_m g_m into `gbar` (d values each).
    @inline(__always)
    func attentionMeans(
        _ a: UnsafePointer<Double>, keys k: UnsafePointer<Double>, projected g: UnsafePointer<Double>,
        vbar: UnsafeMutablePointer<Double>, gbar: UnsafeMutablePointer<Double>
    ) {
        let d = dimension, m = slotCount
        for j in 0..<d { vbar[j] = 0; gbar[j] = 0 }
        for slot in 0..<m {
            let am = a[slot], key = k + slot * d
            for j in 0..<d {
                vbar[j] += am * key[j]
                gbar[j] += am * g[j * m + slot]
            }
        }
    }

    /// Centred slot vectors ṽ = k_slot − v̄ into `vt`, g̃ = g_slot − ḡ into `gt`; returns t = ṽ·g̃.
    @inline(__always)
    func centred(
        slot: Int, keys k: UnsafePointer<Double>, projected g: UnsafePointer<Double>,
        vbar: UnsafePointer<Double>, gbar: UnsafePointer<Double>,
        vt: UnsafeMutablePointer<Double>, gt: UnsafeMutablePointer<Double>
    ) -> Double {
        let d = dimension, m = slotCount
        let key = k + slot * d
        var t = 0.0
        for j in 0..<d {
            vt[j] = key[j] - vbar[j]
            gt[j] = g[j * m + slot] - gbar[j]
            t += vt[j] * gt[j]
        }
        return t
    }

    /// F = E_a[ṽ g̃ᵀ] − λI, ∇·f = E_a[ṽ·g̃] − λd, ∇(∇·f) = E_a[(ṽ·g̃) g̃] per point (see the type's note).
    public func firstOrder(
        _ points: UnsafeBufferPointer<Double>, count: Int,
        jacobians: UnsafeMutableBufferPointer<Double>,
        divergences: UnsafeMutableBufferPointer<Double>,
        divergenceGradients: UnsafeMutableBufferPointer<Double>,
        workspace: inout DriftScratch
    ) {
        guard count > 0, let x = points.baseAddress, let jac = jacobians.baseAddress,
              let div = divergences.baseAddress, let grad = divergenceGradients.baseAddress else { return }
        let d = dimension, m = slotCount, dd = d * d, lambda = leak
        attentionWeights(x, count: count, workspace: workspace)
        let vbar = workspace.padIn, gbar = vbar + d, vt = gbar + d, gt = vt + d
        keysRowMajor.withUnsafeBufferPointer { kb in
            projected.withUnsafeBufferPointer { gb in
                let k = kb.baseAddress!, g = gb.baseAddress!
                for i in 0..<count {
                    let a = UnsafePointer(workspace.scores + i * m)
                    attentionMeans(a, keys: k, projected: g, vbar: vbar, gbar: gbar)
                    let f = jac + i * dd, h = grad + i * d
                    for e in 0..<dd { f[e] = 0 }
                    for j in 0..<d { h[j] = 0 }
                    var divergence = 0.0
                    for slot in 0..<m {
                        let am = a[slot]
                        if am == 0 { continue }
                        let t = centred(slot: slot, keys: k, projected: g, vbar: vbar, gbar: gbar, vt: vt, gt: gt)
                        divergence += am * t
                        for r in 0..<d {
                            let av = am * vt[r], row = f + r * d
                            for c in 0..<d { row[c] += av * gt[c] }
                        }
                        let at = am * t
                        for c in 0..<d { h[c] += at * gt[c] }
                    }
                    for r in 0..<d { f[r * d + r] -= lambda }
                    div[i] = divergence - lambda * Double(d)
                }
            }
        }
    }

    /// Σ_i w_i ∂²f_i/∂x_j∂x_k = E_a[(w·ṽ) g̃_j g̃_k] and ∂_k∂_l(∇·f) = E_a[t g̃_k g̃_l] − (tr C_vg)Γ_kl − A_kl − A_lk
    /// (see the type's note); both exactly symmetric (the upper triangle is computed and mirrored).
    /// `weightedHessian` serves as scratch for Γ before it receives its own result.
    public func secondOrder(
        at point: UnsafeBufferPointer<Double>, weights: UnsafeBufferPointer<Double>,
        weightedHessian: UnsafeMutableBufferPointer<Double>,
        divergenceHessian: UnsafeMutableBufferPointer<Double>,
        workspace: inout DriftScratch
    ) {
        guard let x = point.baseAddress, let w = weights.baseAddress,
              let wh = weightedHessian.baseAddress, let dh = divergenceHessian.baseAddress else { return }
        let d = dimension, m = slotCount
        attentionWeights(x, count: 1, workspace: workspace)
        let a = UnsafePointer(workspace.scores)
        let vbar = workspace.padIn, gbar = vbar + d, vt = gbar + d, gt = vt + d, u = gt + d
        let gamma = wh
        keysRowMajor.withUnsafeBufferPointer { kb in
            projected.withUnsafeBufferPointer { gb in
                let k = kb.baseAddress!, g = gb.baseAddress!
                attentionMeans(a, keys: k, projected: g, vbar: vbar, gbar: gbar)
                for e in 0..<(d * d) { gamma[e] = 0; dh[e] = 0 }
                // Pass 1: Γ = E[g̃g̃ᵀ], E[t g̃g̃ᵀ], tr C_vg = E[t] (upper triangles).
                var traceC = 0.0
                for slot in 0..<m {
                    let am = a[slot]
                    if am == 0 { continue }
                    let t = centred(slot: slot, keys: k, projected: g, vbar: vbar, gbar: gbar, vt: vt, gt: gt)
                    traceC += am * t
                    let at = am * t
                    for r in 0..<d {
                        let ag = am * gt[r], atg = at * gt[r]
                        for c in r..<d {
                            gamma[r * d + c] += ag * gt[c]
                            dh[r * d + c] += atg * gt[c]
                        }
                    }
                }
                for r in 0..<d { for c in 0..<r { gamma[r * d + c] = gamma[c * d + r] } }
                for r in 0..<d { for c in r..<d { dh[r * d + c] -= traceC * gamma[r * d + c] } }
                // Pass 2: −(A + Aᵀ), A_kl = E[g̃_k (Γṽ)_l].
                for slot in 0..<m {
                    let am = a[slot]
                    if am == 0 { continue }
                    _ = centred(slot: slot, keys: k, projected: g, vbar: vbar, gbar: gbar, vt: vt, gt: gt)
                    for r in 0..<d {
                        var acc = 0.0
                        let row = gamma + r * d
                        for c in 0..<d { acc += row[c] * vt[c] }
                        u[r] = acc
                    }
                    for r in 0..<d {
                        for c in r..<d { dh[r * d + c] -= am * (gt[r] * u[c] + u[r] * gt[c]) }
                    }
                }
                for r in 0..<d { for c in 0..<r { dh[r * d + c] = dh[c * d + r] } }
                // Pass 3: E[(w·ṽ) g̃g̃ᵀ] over Γ's storage.
                for e in 0..<(d * d) { wh[e] = 0 }
                for slot in 0..<m {
                    let am = a[slot]
                    if am == 0 { continue }
                    _ = centred(slot: slot, keys: k, projected: g, vbar: vbar, gbar: gbar, vt: vt, gt: gt)
                    var wv = 0.0
                    for j in 0..<d { wv += w[j] * vt[j] }
                    let aw = am * wv
                    for r in 0..<d {
                        let awg = aw * gt[r]
                        for c in r..<d { wh[r * d + c] += awg * gt[c] }
                    }
                }
                for r in 0..<d { for c in 0..<r { wh[r * d + c] = wh[c * d + r] } }
            }
        }
    }
}
