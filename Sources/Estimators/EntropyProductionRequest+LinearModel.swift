import Dynamics
import LinearAlgebra

/// Why a pathwise model was refused (``EntropyProductionRequest/LinearModel/init(checkingDrift:diffusion:dimension:timeStep:driftName:diffusionName:)``):
/// one line naming the option.
public struct LinearModelError: Error, CustomStringConvertible {
    public let description: String
    public init(_ description: String) { self.description = description }
}

extension EntropyProductionRequest.LinearModel {
    /// Throws unless the drift B is `dimension` × `dimension` (`name` is how the caller spelled it: `--drift`, `drift`).
    public static func checkDrift(_ b: Matrix, dimension d: Int, name: String) throws(LinearModelError) {
        guard b.rows == d, b.columns == d else { throw LinearModelError("\(name): expected \(d) × \(d), got \(b.rows) × \(b.columns)") }
    }

    /// The model f(x) = B x with diffusion D, checked against the data as `paththermo estimate` and `pt_estimate`
    /// check it: B and D are d × d, and the pathwise estimator accepts them at `timeStep` (D symmetric positive
    /// definite: ``PathwiseEstimator/init(drift:diffusionMatrix:timeStep:layout:)``). Cost O(d³).
    /// - Throws: ``LinearModelError`` naming `driftName` or `diffusionName`; the estimator's non-``EstimatorError``
    ///   errors unchanged.
    public init(checkingDrift b: Matrix, diffusion: Matrix, dimension d: Int, timeStep: Double,
                driftName: String = "drift", diffusionName: String = "diffusion") throws {
        try Self.checkDrift(b, dimension: d, name: driftName)
        guard diffusion.rows == d, diffusion.columns == d else {
            throw LinearModelError("\(diffusionName): expected a scalar or a \(d) × \(d) matrix, got \(diffusion.rows) × \(diffusion.columns)")
        }
        do {
            _ = try PathwiseEstimator(drift: LinearDrift(matrix: b), diffusionMatrix: diffusion, timeStep: timeStep)
        } catch let error as EstimatorError {
            throw LinearModelError("\(diffusionName): \(error)")
        }
        self.init(drift: b, diffusion: diffusion)
    }
}
