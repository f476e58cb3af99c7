import Dynamics
import LinearAlgebra

extension EntropyProductionRequest {
    /// The box of the grid method for `data`: [−L, L]^d with L = ``GridBounds/halfWidth(_:)``, or the
    /// ``GridBounds/quantile(_:)`` of |x_j| over every recorded state (``KramersMoyalGrid/bounds(quantile:of:)``).
    public func gridBounds(for data: TrajectoryData) throws -> [ClosedRange<Double>] {
        switch bounds {
        case let .halfWidth(l): try KramersMoyalGrid.symmetricBounds(halfWidth: l, dimension: data.dimension)
        case let .quantile(q): try KramersMoyalGrid.bounds(quantile: q, of: data)
        }
    }

    /// The grid estimator on `box` with ``bins``, ``minimumCount``, ``gridDiffusion``, ``gridRecipe`` and ``layout``
    /// (callers that simulate their own rollouts size the box themselves, e.g. from a pilot run).
    public func gridEstimator(bounds box: [ClosedRange<Double>]) throws -> KramersMoyalGrid {
        try KramersMoyalGrid(bins: bins, bounds: box, timeStep: timeStep, minimumCount: minimumCount, layout: layout,
                             diffusionMode: gridDiffusion, recipe: gridRecipe)
    }

    /// The linear-basis estimator with monomials up to ``basisOrder`` in `dimension` coordinates.
    public func basisEstimator(dimension: Int) throws -> LinearBasisEstimator {
        try LinearBasisEstimator(dimension: dimension, order: basisOrder, timeStep: timeStep, layout: layout)
    }

    /// The short-time TUR estimator in `dimension` coordinates.
    public func turEstimator(dimension: Int) throws -> ShortTimeTUREstimator {
        try ShortTimeTUREstimator(dimension: dimension, timeStep: timeStep, layout: layout)
    }

    /// The pathwise estimator of ``pathwiseModel`` (f(x) = B x, diffusion matrix D) for `dimension` coordinates.
    /// - Throws: ``EstimatorError/invalidArgument(_:)`` without a model, ``EstimatorError/dimensionMismatch(expected:found:)``
    ///   when B is not `dimension` × `dimension`, and the estimator's own errors (D not positive definite, …).
    public func pathwiseEstimator(dimension: Int) throws -> PathwiseEstimator<LinearDrift> {
        guard let model = pathwiseModel else {
            throw EstimatorError.invalidArgument("the pathwise method needs a model (drift matrix and diffusion)")
        }
        guard model.drift.rows == dimension, model.drift.columns == dimension else {
            throw EstimatorError.dimensionMismatch(expected: dimension, found: model.drift.rows)
        }
        return try PathwiseEstimator(drift: LinearDrift(matrix: model.drift), diffusionMatrix: model.diffusion,
                                     timeStep: timeStep, layout: layout)
    }
}
