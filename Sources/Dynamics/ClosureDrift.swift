import LinearAlgebra

/// A drift given by a user function, evaluated point by point.
///
/// `f(x, out)` receives one point x (d values) and writes f(x) (d values) into `out`; it must be
/// a pure function of x (it is called concurrently from several threads, in any order).
/// The Jacobian comes from the optional `jacobian` closure, or else from central finite
/// differences F_ij ≈ (f_i(x + h_j e_j) − f_i(x − h_j e_j)) / (2 h_j) with
/// h_j = 10⁻⁶ · max(1, |x_j|) (truncation error O(h²‖f'''‖), rounding O(ε‖f‖/h)).
public struct ClosureDrift: Drift {
    public typealias Function = @Sendable (UnsafeBufferPointer<Double>, UnsafeMutableBufferPointer<Double>) -> Void

    public let dimension: Int
    let function: Function
    let analyticJacobian: (@Sendable ([Double]) -> Matrix)?

    /// - Throws: ``DynamicsError/zeroDimension`` when `dimension < 1`.
    public init(
        dimension: Int, jacobian: (@Sendable ([Double]) -> Matrix)? = nil, _ f: @escaping Function
    ) throws(DynamicsError) {
        guard dimension > 0 else { throw .zeroDimension }
        self.dimension = dimension
        function = f
        analyticJacobian = jacobian
    }

    public func makeWorkspace(capacity: Int) {}

    public func evaluate(
        _ points: UnsafeBufferPointer<Double>, count: Int,
        into output: UnsafeMutableBufferPointer<Double>, workspace: inout Void
    ) {
        let d = dimension
        for i in 0..<count {
            function(UnsafeBufferPointer(rebasing: points[(i * d)..<((i + 1) * d)]),
                     UnsafeMutableBufferPointer(rebasing: output[(i * d)..<((i + 1) * d)]))
        }
    }

    /// The closure's Jacobian, or central finite differences (see the type's note).
    /// - Throws: ``DynamicsError`` for a point of the wrong length or with non-finite entries,
    ///   or a user Jacobian that is not d × d.
    public func jacobian(at point: [Double]) throws -> Matrix {
        try checkPoint(point, dimension: dimension)
        let d = dimension
        if let analyticJacobian {
            let j = analyticJacobian(point)
            guard j.rows == d, j.columns == d else {
                throw DynamicsError.dimensionMismatch(detail: "the jacobian closure returned \(j.rows)×\(j.columns), expected \(d)×\(d)")
            }
            return j
        }
        var jac = Matrix(rows: d, columns: d)
        var x = point
        var plus = [Double](repeating: 0, count: d), minus = plus
        for j in 0..<d {
            let h = 1e-6 * max(1, abs(point[j]))
            x[j] = point[j] + h
            let up = x[j]
            x[j] = point[j] - h
            let down = x[j]
            x.withUnsafeBufferPointer { xp in minus.withUnsafeMutableBufferPointer { function(xp, $0) } }
            x[j] = up
            x.withUnsafeBufferPointer { xp in plus.withUnsafeMutableBufferPointer { function(xp, $0) } }
            x[j] = point[j]
            // Divide by the step actually taken (up − down is exact in floating point here).
            let width = up - down
            for i in 0..<d { jac[i, j] = (plus[i] - minus[i]) / width }
        }
        return jac
    }
}
