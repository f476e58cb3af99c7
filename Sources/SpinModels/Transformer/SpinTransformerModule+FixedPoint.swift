import LinearAlgebra

extension SpinTransformerModule {
    /// The fixed point m* = g(m*) of one head's map g(m) = φ(x + J m), started at `start`, by the fixed-point
    /// solver's Anderson acceleration (``NaiveMeanField/fixedPoint(from:options:)``: window 5, ridge 1e-6,
    /// worst-site residual max_i ‖g(m)_i − m_i‖ < tol). Returns the tested iterate, the map evaluations and the
    /// residual.
    /// - Throws: ``SpinModelsError/notConverged(operation:iterations:residual:)`` after `maxIterations`.
    static func fixedPoint(_ map: NaiveMeanField, from start: Matrix, maxIterations: Int, tolerance: Double)
        throws(SpinModelsError) -> (Matrix, Int, Double) {
        let options = FixedPointOptions(maxIterations: maxIterations, tolerance: tolerance, requireConvergence: true)
        let solution = try map.fixedPoint(from: start, options: options)
        return (solution.iterate, solution.iterations, solution.residual)
    }
}
