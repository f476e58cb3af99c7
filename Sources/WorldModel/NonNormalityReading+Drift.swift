import Dynamics
import LinearAlgebra
import Thermodynamics

extension NonNormalityReading {
    /// The reading of ``SampledNonNormality``.
    public init(_ s: SampledNonNormality) {
        self.init(index: s.index, meanRatio: s.meanRatio, meanJacobian: s.meanJacobianIndices.antisymmetricRatio,
                  henrici: s.meanJacobianIndices.henrici, henriciRelative: s.meanJacobianIndices.henriciRelative,
                  commutator: s.meanJacobianIndices.commutator, samples: s.samples)
    }

    /// N of Eq. 29 for any drift with an analytic Jacobian over `points` (row-major n × d): the Jacobians come from
    /// the drift's batched ``DifferentiableDrift/firstOrder(_:count:jacobians:divergences:divergenceGradients:workspace:)``
    /// in blocks of 1 024 points (O(1 024·d²) scratch beyond the n·d² Jacobians), then ``SampledNonNormality``.
    /// - Throws: ``WorldModelError`` for an empty or ragged point set or non-finite points; the errors of
    ///   ``SampledNonNormality/init(jacobians:dimension:)`` (e.g. a Jacobian that left the finite numbers).
    public init<F: DifferentiableDrift>(drift f: F, points: [Double]) throws {
        let d = f.dimension
        guard !points.isEmpty, points.count % d == 0 else {
            throw WorldModelError.dimensionMismatch(detail: "\(points.count) values are not a non-empty set of \(d)-vectors")
        }
        guard points.allSatisfy(\.isFinite) else { throw WorldModelError.nonFinite(name: "sample points") }
        let n = points.count / d, block = Swift.min(1_024, n)
        var jacobians = [Double](repeating: 0, count: n * d * d)
        var divergences = [Double](repeating: 0, count: block), gradients = [Double](repeating: 0, count: block * d)
        var workspace = f.makeWorkspace(capacity: block)
        points.withUnsafeBufferPointer { x in
            jacobians.withUnsafeMutableBufferPointer { jac in
                divergences.withUnsafeMutableBufferPointer { div in
                    gradients.withUnsafeMutableBufferPointer { grad in
                        var start = 0
                        while start < n {
                            let m = Swift.min(block, n - start)
                            f.firstOrder(UnsafeBufferPointer(rebasing: x[(start * d)..<((start + m) * d)]), count: m,
                                         jacobians: UnsafeMutableBufferPointer(rebasing: jac[(start * d * d)..<((start + m) * d * d)]),
                                         divergences: UnsafeMutableBufferPointer(rebasing: div[0..<m]),
                                         divergenceGradients: UnsafeMutableBufferPointer(rebasing: grad[0..<(m * d)]),
                                         workspace: &workspace)
                            start += m
                        }
                    }
                }
            }
        }
        self.init(try SampledNonNormality(jacobians: jacobians, dimension: d))
    }
}
