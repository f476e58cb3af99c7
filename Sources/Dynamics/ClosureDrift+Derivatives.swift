import LinearAlgebra

/// Derivatives of a closure drift by central finite differences: APPROXIMATE. The steps are relative,
/// h = c·max(1, |x_j|), chosen per derivative order to balance truncation against rounding; the error
/// estimates below are absolute, for a drift whose values and derivatives are O(1) on length scales ≳ 1
/// (the rounding terms scale with the size of f or J, not with the derivative computed).
///
/// With the analytic Jacobian closure J (``ClosureDrift/init(dimension:jacobian:_:)``):
/// - F = J(x), ∇·f = tr J(x): exact;
/// - ∇(∇·f)_k ≈ [tr J(x + h e_k) − tr J(x − h e_k)] / (2h), and
///   Σ_i w_i ∂²f_i/∂x_j∂x_k ≈ Σ_i w_i [J_ij(x + h e_k) − J_ij(x − h e_k)] / (2h), symmetrized in (j, k),
///   with c = 1e-5 ≈ ε^{1/3}: truncation O(h²) ≈ 1e-10, rounding O(ε/h) ≈ 2e-11;
/// - ∂²(∇·f) ≈ second differences of φ = tr J (three-point on the diagonal, four-point
///   [φ(++) − φ(+−) − φ(−+) + φ(−−)]/(4 h_k h_l) off it) with c = 1e-4 ≈ ε^{1/4}: truncation O(h²) ≈ 1e-8,
///   rounding O(ε/h²) ≈ 2e-8.
///
/// Without it (f only):
/// - F: central differences of f with c = 1e-6, exactly as ``ClosureDrift/jacobian(at:)`` (same bits);
///   ∇·f = tr F;
/// - ∇(∇·f)_k = Σ_i ∂²f_i/∂x_i∂x_k and Σ_i w_i ∂²f_i/∂x_j∂x_k: second differences of f (three-point,
///   four-point as above) with c = 1e-4: truncation ≈ 1e-8, rounding ≈ 2e-8;
/// - ∂²(∇·f): second differences (c = 1e-3 ≈ ε^{1/5}) of the central-difference divergence
///   φ(y) = Σ_i [f_i(y + h e_i) − f_i(y − h e_i)]/(2h) (same c): truncation O(h²) ≈ 1e-6, rounding
///   O(ε/h³) ≈ 2e-7.
///
/// Cost per point: firstOrder 1 + 2d + 2d(d−1) evaluations of f (or 1 + 2d of J); secondOrder
/// O(d²) of J or O(d³) of f. Each call allocates its few d-vectors (the workspace is `Void`).
/// A Jacobian closure that returns another shape than d × d gives NaN entries (this API does
/// not throw; callers check finiteness, and ``ClosureDrift/jacobian(at:)`` reports the shape).
extension ClosureDrift: DifferentiableDrift {
    /// Relative step constants (see the type's note).
    static let jacobianStep = 1e-5, secondStep = 1e-4, thirdStep = 1e-3, functionJacobianStep = 1e-6

    @inline(__always)
    static func step(_ c: Double, _ x: Double) -> Double { c * max(1, abs(x)) }

    /// f(x) as a new array.
    func value(_ x: [Double]) -> [Double] {
        var out = [Double](repeating: 0, count: dimension)
        x.withUnsafeBufferPointer { xp in out.withUnsafeMutableBufferPointer { function(xp, $0) } }
        return out
    }

    /// The Jacobian (row-major d × d): the closure's (NaN if it has the wrong shape), or central
    /// differences of f with the same steps and operations as ``jacobian(at:)``.
    func jacobianRowMajor(_ point: [Double]) -> [Double] {
        let d = dimension
        if let analyticJacobian {
            let j = analyticJacobian(point)
            guard j.rows == d, j.columns == d else { return [Double](repeating: .nan, count: d * d) }
            var out = [Double](repeating: 0, count: d * d)
            for r in 0..<d { for c in 0..<d { out[r * d + c] = j[r, c] } }
            return out
        }
        var jac = [Double](repeating: 0, count: d * d)
        var x = point
        for j in 0..<d {
            let h = Self.step(Self.functionJacobianStep, point[j])
            x[j] = point[j] + h
            let up = x[j]
            x[j] = point[j] - h
            let down = x[j]
            let minus = value(x)
            x[j] = up
            let plus = value(x)
            x[j] = point[j]
            let width = up - down
            for i in 0..<d { jac[i * d + j] = (plus[i] - minus[i]) / width }
        }
        return jac
    }

    /// The Hessian (row-major d × d, symmetric) of a scalar function by second differences with
    /// relative step `c`.
    static func hessian(of phi: ([Double]) -> Double, at x: [Double], step c: Double) -> [Double] {
        let d = x.count
        var out = [Double](repeating: 0, count: d * d)
        let center = phi(x)
        var y = x
        for k in 0..<d {
            let hk = step(c, x[k])
            y[k] = x[k] + hk; let up = phi(y)
            y[k] = x[k] - hk; let down = phi(y)
            y[k] = x[k]
            out[k * d + k] = (up - 2 * center + down) / (hk * hk)
            for l in (k + 1)..<d {
                let hl = step(c, x[l])
                var corners = 0.0
                for (sk, sl) in [(1.0, 1.0), (1.0, -1.0), (-1.0, 1.0), (-1.0, -1.0)] {
                    y[k] = x[k] + sk * hk
                    y[l] = x[l] + sl * hl
                    corners += sk * sl * phi(y)
                }
                y[k] = x[k]; y[l] = x[l]
                let value = corners / (4 * hk * hl)
                out[k * d + l] = value
                out[l * d + k] = value
            }
        }
        return out
    }

    /// ∇(∇·f) = Σ_i ∂²f_i/∂x_i∂x_k by second differences of f (no Jacobian closure).
    func divergenceGradientFromValues(_ x: [Double]) -> [Double] {
        let d = dimension, c = Self.secondStep
        var grad = [Double](repeating: 0, count: d)
        let center = value(x)
        var y = x
        for k in 0..<d {
            let hk = Self.step(c, x[k])
            y[k] = x[k] + hk; let up = value(y)
            y[k] = x[k] - hk; let down = value(y)
            y[k] = x[k]
            grad[k] += (up[k] - 2 * center[k] + down[k]) / (hk * hk)
            for i in (k + 1)..<d {
                let hi = Self.step(c, x[i])
                var corners = [Double](repeating: 0, count: d)
                for (sk, si) in [(1.0, 1.0), (1.0, -1.0), (-1.0, 1.0), (-1.0, -1.0)] {
                    y[k] = x[k] + sk * hk
                    y[i] = x[i] + si * hi
                    let fy = value(y)
                    corners[i] += sk * si * fy[i]
                    corners[k] += sk * si * fy[k]
                }
                y[k] = x[k]; y[i] = x[i]
                // ∂_i∂_k f_i belongs to component k of ∇(∇·f), ∂_i∂_k f_k to component i.
                grad[k] += corners[i] / (4 * hk * hi)
                grad[i] += corners[k] / (4 * hk * hi)
            }
        }
        return grad
    }

    /// ∇(∇·f) by central differences of tr J (Jacobian closure given).
    func divergenceGradientFromJacobian(_ x: [Double]) -> [Double] {
        let d = dimension
        var grad = [Double](repeating: 0, count: d)
        var y = x
        for k in 0..<d {
            let h = Self.step(Self.jacobianStep, x[k])
            y[k] = x[k] + h
            let up = y[k], plus = trace(jacobianRowMajor(y))
            y[k] = x[k] - h
            let down = y[k], minus = trace(jacobianRowMajor(y))
            y[k] = x[k]
            grad[k] = (plus - minus) / (up - down)
        }
        return grad
    }

    func trace(_ m: [Double]) -> Double {
        let d = dimension
        var t = 0.0
        for i in 0..<d { t += m[i * d + i] }
        return t
    }

    public func firstOrder(
        _ points: UnsafeBufferPointer<Double>, count: Int,
        jacobians: UnsafeMutableBufferPointer<Double>,
        divergences: UnsafeMutableBufferPointer<Double>,
        divergenceGradients: UnsafeMutableBufferPointer<Double>,
        workspace: inout Void
    ) {
        let d = dimension, dd = d * d
        for i in 0..<count {
            let x = Array(points[(i * d)..<((i + 1) * d)])
            let jac = jacobianRowMajor(x)
            for e in 0..<dd { jacobians[i * dd + e] = jac[e] }
            divergences[i] = trace(jac)
            let grad = analyticJacobian == nil ? divergenceGradientFromValues(x) : divergenceGradientFromJacobian(x)
            for k in 0..<d { divergenceGradients[i * d + k] = grad[k] }
        }
    }

    public func secondOrder(
        at point: UnsafeBufferPointer<Double>, weights: UnsafeBufferPointer<Double>,
        weightedHessian: UnsafeMutableBufferPointer<Double>,
        divergenceHessian: UnsafeMutableBufferPointer<Double>,
        workspace: inout Void
    ) {
        let d = dimension
        let x = Array(point[0..<d]), w = Array(weights[0..<d])
        let wh: [Double], dh: [Double]
        if analyticJacobian != nil {
            // Σ_i w_i ∂_k J_ij by central differences of J along e_k, then symmetrized.
            var t = [Double](repeating: 0, count: d * d)
            var y = x
            for k in 0..<d {
                let h = Self.step(Self.jacobianStep, x[k])
                y[k] = x[k] + h
                let up = y[k], plus = jacobianRowMajor(y)
                y[k] = x[k] - h
                let down = y[k], minus = jacobianRowMajor(y)
                y[k] = x[k]
                let width = up - down
                for j in 0..<d {
                    var acc = 0.0
                    for i in 0..<d { acc += w[i] * (plus[i * d + j] - minus[i * d + j]) }
                    t[j * d + k] = acc / width
                }
            }
            var sym = t
            for j in 0..<d { for k in 0..<d { sym[j * d + k] = 0.5 * (t[j * d + k] + t[k * d + j]) } }
            wh = sym
            dh = Self.hessian(of: { trace(jacobianRowMajor($0)) }, at: x, step: Self.secondStep)
        } else {
            wh = Self.hessian(of: { y in
                let fy = value(y)
                var s = 0.0
                for i in 0..<d { s += w[i] * fy[i] }
                return s
            }, at: x, step: Self.secondStep)
            let c = Self.thirdStep
            dh = Self.hessian(of: { y in
                var z = y, div = 0.0
                for i in 0..<d {
                    let h = Self.step(c, y[i])
                    z[i] = y[i] + h
                    let up = z[i], plus = value(z)[i]
                    z[i] = y[i] - h
                    let down = z[i], minus = value(z)[i]
                    z[i] = y[i]
                    div += (plus - minus) / (up - down)
                }
                return div
            }, at: x, step: c)
        }
        for e in 0..<(d * d) {
            weightedHessian[e] = wh[e]
            divergenceHessian[e] = dh[e]
        }
    }
}
