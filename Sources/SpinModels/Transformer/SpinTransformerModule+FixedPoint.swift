import LinearAlgebra

extension SpinTransformerModule {
    /// The fixed point m* = g(m*) of one head's map g(m) = φ(x + J m), started at `start`: Picard iteration
    /// m ← g(m) until the worst-site residual max_i ‖g(m)_i − m_i‖ < tol. Returns the iterate whose residual was
    /// tested (not its image), the iterations and the residual.
    /// - Throws: ``SpinModelsError/notConverged(operation:iterations:residual:)`` after `maxIterations`.
    static func fixedPoint(_ map: NaiveMeanField, from start: Matrix, maxIterations: Int, tolerance: Double)
        throws(SpinModelsError) -> (Matrix, Int, Double) {
        var m = start
        var residual = Double.infinity
        for iteration in 0..<maxIterations {
            let image = try map.step(from: m).magnetizations
            residual = worstSiteDistance(image, m)
            guard residual.isFinite else { throw .nonFinite("fixed-point residual") }
            if residual < tolerance { return (m, iteration, residual) }
            m = image
        }
        throw .notConverged(operation: "spin-transformer fixed point (Picard)", iterations: maxIterations, residual: residual)
    }

    /// max_i ‖a_i − b_i‖ over rows.
    static func worstSiteDistance(_ a: Matrix, _ b: Matrix) -> Double {
        let n = a.rows
        var d = [Double](repeating: 0, count: n)
        for j in 0..<a.columns { for i in 0..<n { let v = a[i, j] - b[i, j]; d[i] += v * v } }
        return (d.max() ?? 0).squareRoot()
    }
}
