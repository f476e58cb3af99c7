import LinearAlgebra
import Parallel

/// One model of a batch that has no entropy-production rate, and why.
public struct InvalidBatchElement: Sendable, Equatable {
    /// Position in the batch (0-based).
    public let index: Int
    /// The one-line reason (an unstable drift, non-finite entries, an overflowing σ, …).
    public let reason: String

    public init(index: Int, reason: String) {
        self.index = index
        self.reason = reason
    }
}

/// Batch entropy-production rates that keep going past invalid models: each invalid model gets NaN
/// and an ``InvalidBatchElement``, every valid one the same σ as in
/// ``OrnsteinUhlenbeck/entropyProductionRates(drifts:diffusion:threads:)`` (the same code per model,
/// so the values do not depend on `threads`). A 2-D model whose closed form overflows (entries beyond
/// ~10¹⁵⁴) is recomputed by the general solver; a σ that is itself beyond the range of Double counts as
/// invalid: every rate is a finite number or an explicit, listed NaN — never a silent ∞.
extension OrnsteinUhlenbeck {
    /// σ of each drift Bₖ with diffusion D, NaN for the invalid ones, which are listed by index.
    /// - Throws: ``ThermodynamicsError/dimensionMismatch(detail:)`` if shapes differ, and the diffusion
    ///   matrix's own errors (a bad D spoils every model, so it is not skipped).
    public static func entropyProductionRatesSkippingInvalid(
        drifts: [Matrix], diffusion: Matrix, threads: Int = 0
    ) throws -> (rates: [Double], invalid: [InvalidBatchElement]) {
        let n = diffusion.rows
        for (k, b) in drifts.enumerated() where b.rows != n || b.columns != n {
            throw ThermodynamicsError.dimensionMismatch(
                detail: "drift \(k) is \(b.rows)×\(b.columns) but the diffusion matrix is \(diffusion.rows)×\(diffusion.columns)")
        }
        if n == 2 {
            return try OrnsteinUhlenbeck2D.entropyProductionRatesSkippingInvalid(
                drifts: try drifts.map(Matrix2x2.init), diffusion: try Matrix2x2(diffusion), threads: threads)
        }
        _ = try validatedDiffusion(diffusion, dimension: n)
        var results = [Result<Double, Error>](repeating: .success(0), count: drifts.count)
        results.withUnsafeMutableBufferPointer { buffer in
            let sink = UnsafeSendableBuffer(buffer)
            ParallelFor.chunks(count: drifts.count, threads: threads) { range in
                for k in range {
                    sink[k] = Result { try OrnsteinUhlenbeck(drift: drifts[k], diffusion: diffusion).entropyProductionRate }
                }
            }
        }
        var rates = [Double](repeating: .nan, count: drifts.count)
        var invalid: [InvalidBatchElement] = []
        for (k, r) in results.enumerated() {
            switch r {
            case let .success(sigma) where sigma.isFinite: rates[k] = sigma
            case let .success(sigma): invalid.append(InvalidBatchElement(index: k, reason: "σ is not finite (\(sigma))"))
            case let .failure(error): invalid.append(InvalidBatchElement(index: k, reason: "\(error)"))
            }
        }
        return (rates, invalid)
    }
}

extension OrnsteinUhlenbeck2D {
    /// The closed-form σ of each 2-D drift with diffusion D, NaN for the invalid ones, listed by index.
    /// - Throws: ``ThermodynamicsError/invalidArgument(name:detail:)`` if D itself is not finite SPD.
    public static func entropyProductionRatesSkippingInvalid(
        drifts: [Matrix2x2], diffusion: Matrix2x2, threads: Int = 0
    ) throws -> (rates: [Double], invalid: [InvalidBatchElement]) {
        let stable = Matrix2x2(-1, 0, 0, -1)
        if let reason = validationFailure(drift: stable, diffusion: diffusion) {
            throw ThermodynamicsError.invalidArgument(name: "diffusion", detail: reason)
        }
        var rates = [Double](repeating: .nan, count: drifts.count)
        var invalid: [InvalidBatchElement] = []
        var isValid = [Bool](repeating: true, count: drifts.count)
        for (k, b) in drifts.enumerated() {
            if let reason = validationFailure(drift: b, diffusion: diffusion) {
                invalid.append(InvalidBatchElement(index: k, reason: reason))
                isValid[k] = false
            }
        }
        let valid = isValid  // an immutable copy for the worker threads
        rates.withUnsafeMutableBufferPointer { buffer in
            let sink = UnsafeSendableBuffer(buffer)
            ParallelFor.chunks(count: drifts.count, threads: threads) { range in
                for k in range where valid[k] { sink[k] = unsafeEntropyProductionRate(drift: drifts[k], diffusion: diffusion) }
            }
        }
        var all = invalid
        for k in 0..<drifts.count where valid[k] && !rates[k].isFinite {
            // The closed form overflows for entries beyond ~1e154 (det B); the general solver (LAPACK scales
            // internally) still finds σ when it is representable.
            let general = Result { try OrnsteinUhlenbeck(drift: drifts[k].matrix, diffusion: diffusion.matrix).entropyProductionRate }
            switch general {
            case let .success(sigma) where sigma.isFinite: rates[k] = sigma
            case let .success(sigma):
                all.append(InvalidBatchElement(index: k, reason: "σ is not finite (\(sigma)): beyond the range of Double"))
                rates[k] = .nan
            case let .failure(error):
                all.append(InvalidBatchElement(index: k, reason: "\(error)"))
                rates[k] = .nan
            }
        }
        all.sort { $0.index < $1.index }
        return (rates, all)
    }
}
