import Dispatch

/// Solves many independent continuous Lyapunov equations **Aₖ Xₖ + Xₖ Aₖᵀ = Qₖ**.
///
/// 2×2 systems take the closed form of ``Lyapunov2x2``; larger ones Bartels–Stewart. Work is
/// split over `threads` workers in contiguous chunks; each system is solved by the same code
/// whatever the split, so results do not depend on the thread count.
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
        parallelChunks(count: a.count, threads: threads) { range in
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

/// Runs `body` over `0..<count` split into contiguous chunks, one per worker (`threads ≤ 0`: one per core).
public func parallelChunks(count: Int, threads: Int = 0, _ body: @Sendable (Range<Int>) -> Void) {
    guard count > 0 else { return }
    let workers = Swift.max(1, Swift.min(count, threads > 0 ? threads : ProcessInfoCores.active))
    if workers == 1 { body(0..<count); return }
    DispatchQueue.concurrentPerform(iterations: workers) { w in
        let lo = count * w / workers, hi = count * (w + 1) / workers
        body(lo..<hi)
    }
}

/// A buffer pointer that may cross into `concurrentPerform`: callers write disjoint indices only.
public struct UnsafeSendableBuffer<Element>: @unchecked Sendable {
    public let base: UnsafeMutableBufferPointer<Element>
    public init(_ base: UnsafeMutableBufferPointer<Element>) { self.base = base }
    public subscript(i: Int) -> Element {
        get { base[i] }
        nonmutating set { base[i] = newValue }
    }
}

enum ProcessInfoCores {
    static let active: Int = {
        #if canImport(Glibc)
        return Swift.max(1, Int(sysconf(Int32(_SC_NPROCESSORS_ONLN))))
        #else
        return 1
        #endif
    }()
}
#if canImport(Glibc)
import Glibc
#endif
