import LinearAlgebra
import Thermodynamics

/// `pt_ou`: exact stationary thermodynamics of dx = B x dt + √(2D) dW, as `paththermo ou` computes it
/// (``OrnsteinUhlenbeck``, ``NonNormality``; docs/theory/ou-exact.md). Inputs are strided views (ABIMatrixView);
/// outputs are caller-owned, row-major float64 buffers, each skipped when null:
/// covariance, irreversible drift, reversible drift and current matrix n × n; eigenvalues n × 2 (real, imaginary);
/// scalars 5: σ, antisymmetric ratio, Henrici, relative Henrici, commutator.
/// Cost: one real Schur form and a Lyapunov solve, O(n³).
@_cdecl("pt_ou")
public func pt_ou(
    _ drift: UnsafeRawPointer?, _ driftDType: Int32, _ rows: Int64, _ columns: Int64,
    _ driftRowStride: Int64, _ driftColumnStride: Int64,
    _ diffusion: UnsafeRawPointer?, _ diffusionDType: Int32, _ diffusionRows: Int64, _ diffusionColumns: Int64,
    _ diffusionRowStride: Int64, _ diffusionColumnStride: Int64,
    _ covarianceOut: UnsafeMutablePointer<Double>?, _ irreversibleOut: UnsafeMutablePointer<Double>?,
    _ reversibleOut: UnsafeMutablePointer<Double>?, _ currentOut: UnsafeMutablePointer<Double>?,
    _ eigenvaluesOut: UnsafeMutablePointer<Double>?, _ scalarsOut: UnsafeMutablePointer<Double>?,
    _ message: UnsafeMutablePointer<CChar>?, _ messageCapacity: Int64
) -> Int32 {
    abiCall(message: message, capacity: messageCapacity) {
        let b = try abiMatrix("drift", drift, driftDType, rows, columns, driftRowStride, driftColumnStride)
        let d = try abiMatrix("diffusion", diffusion, diffusionDType, diffusionRows, diffusionColumns, diffusionRowStride, diffusionColumnStride)
        try checkSquareWorkspace("ou", dimension: b.rows, matrices: 16)
        let ou = try OrnsteinUhlenbeck(drift: b, diffusion: d)
        let nn = try NonNormality(b)
        let irreversible = try ou.irreversibleDrift
        let reversible = try ou.reversibleDrift
        ou.stationaryCovariance.writeRowMajor(to: covarianceOut)
        irreversible.writeRowMajor(to: irreversibleOut)
        reversible.writeRowMajor(to: reversibleOut)
        ou.probabilityCurrentMatrix.writeRowMajor(to: currentOut)
        if let eigenvaluesOut {
            for (k, e) in ou.eigenvalues.enumerated() { eigenvaluesOut[2 * k] = e.real; eigenvaluesOut[2 * k + 1] = e.imaginary }
        }
        if let scalarsOut {
            let values = [ou.entropyProductionRate, nn.antisymmetricRatio, nn.henrici, nn.henriciRelative, nn.commutator]
            for (k, v) in values.enumerated() { scalarsOut[k] = v }
        }
    }
}
