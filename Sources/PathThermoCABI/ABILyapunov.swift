import LinearAlgebra

/// `pt_lyapunov`: X with A X + X Aᵀ = Q (`discrete == 0`) or A X Aᵀ − X + Q = 0 (`discrete != 0`), SciPy's
/// conventions, as `paththermo lyapunov` solves them (``solveContinuousLyapunov(_:_:solver:)``, Bartels–Stewart
/// with the level-3 kernel; ``solveDiscreteLyapunov(_:_:)``, Smith doubling or the Cayley transform). X goes
/// row-major into `xOut` (n × n, required); the relative Frobenius residual into `residualOut` (computed only when
/// it is not null: two more n³ products).
/// A non-finite X or residual is an error, as in the CLI. Cost O(n³).
@_cdecl("pt_lyapunov")
public func pt_lyapunov(
    _ a: UnsafeRawPointer?, _ aDType: Int32, _ aRows: Int64, _ aColumns: Int64, _ aRowStride: Int64, _ aColumnStride: Int64,
    _ q: UnsafeRawPointer?, _ qDType: Int32, _ qRows: Int64, _ qColumns: Int64, _ qRowStride: Int64, _ qColumnStride: Int64,
    _ discrete: Int32, _ xOut: UnsafeMutablePointer<Double>?, _ residualOut: UnsafeMutablePointer<Double>?,
    _ message: UnsafeMutablePointer<CChar>?, _ messageCapacity: Int64
) -> Int32 {
    abiCall(message: message, capacity: messageCapacity) {
        guard let xOut else { throw ABIArgumentError("x_out: null output pointer") }
        let am = try abiMatrix("a", a, aDType, aRows, aColumns, aRowStride, aColumnStride)
        let qm = try abiMatrix("q", q, qDType, qRows, qColumns, qRowStride, qColumnStride)
        try checkSquareWorkspace("lyapunov", dimension: am.rows, matrices: 12)
        let x = discrete != 0 ? try solveDiscreteLyapunov(am, qm) : try solveContinuousLyapunov(am, qm)
        guard x.isFinite else { throw ABIResultError("the solution X is not finite (its entries overflow the range of Double)") }
        // The residual costs two more n³ products: computed only when asked for (as the CLI's timing excludes it).
        if let residualOut {
            let residual = discrete != 0 ? try discreteLyapunovResidual(am, x, qm) : try continuousLyapunovResidual(am, x, qm)
            guard residual.isFinite else { throw ABIResultError("the residual of the solution is not finite") }
            residualOut.pointee = residual
        }
        x.writeRowMajor(to: xOut)
    }
}
