import Parallel

/// Solves many independent continuous Lyapunov equations **Aₖ Xₖ + Xₖ Aₖᵀ = Qₖ**.
///
/// 2×2 systems take the closed form of ``Lyapunov2x2``; larger ones Bartels–Stewart. Work is
/// split over `threads` workers (the `ThreadCount` convention of `Parallel`: 0 = every active processor) in
/// contiguous chunks (`ParallelFor.chunks`); each system is solved by the same code whatever the split, so results
/// do not depend on the thread count.
///
/// - Throws: the first failing system's error, wrapped with its index in the batch.
public func solveContinuousLyapunovBatch(_ a: [Matrix], _ q: [Matrix], threads: Int = 0) throws -> [Matrix] {
    guard a.count == q.count else {
        throw LinearAlgebraError.dimensionMismatch(
            operation: "batched continuous Lyapunov", detail: "\(a.count) coefficient matrices, \(q.count) right-hand sides")
    }
    var results = [Result<Matrix, Error>](repeating: .success(Matrix(rows: 0, columns: 0)), count: a.count)
    results.withUnsafeMutableBufferPointer { out in
        let buffer = UnsafeSendableBuffer(out)
        ParallelFor.chunks(count: a.count, threads: threads) { range in
            for k in range { buffer[k] = Result { try solveContinuousLyapunov(a[k], q[k]) } }
        }
    }
    return try results.enumerated().map { index, r in
        do { return try r.get() } catch let e as LinearAlgebraError {
            throw BatchError(index: index, underlying: e)
        }
    }
}

/// An error in one element of a batch, with its position.
public struct BatchError: Error, CustomStringConvertible, Sendable {
    public let index: Int
    public let underlying: LinearAlgebraError
    public var description: String { "batch element \(index): \(underlying)" }
}
