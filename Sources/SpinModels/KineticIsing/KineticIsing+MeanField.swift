#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import LinearAlgebra

/// One step (or the steady state) of the first-order Plefka[t−1, t] mean field of the kinetic Ising model.
public struct KineticIsingMeanFieldState: Sendable {
    /// m_t (N entries).
    public let magnetizations: [Double]
    /// m_{t−1}, the magnetizations the step started from (equal to ``magnetizations`` at the steady state).
    public let previousMagnetizations: [Double]
    /// D_il = (1 − m_{i,t}²) β J_il (1 − m_{l,t−1}²), the connected delayed correlation ⟨s_{i,t} s_{l,t−1}⟩ − m m.
    public let delayedCorrelation: Matrix
    /// σ = β Σ_ij (J_ij − J_ji) D_ij.
    public let entropyProduction: Double
    /// The housekeeping form σ_hk = (β²/2) Σ_ij (J_ij − J_ji)² (1 − m_i²)(1 − m_j²) at m_t; equal to
    /// ``entropyProduction`` at a steady state (m_{t−1} = m_t).
    public let housekeepingEntropyProduction: Double
    /// Picard iterations used (1 for a single step).
    public let iterations: Int
    /// max_i |m_{i,t} − m_{i,t−1}| at return (the steady-state residual).
    public let residual: Double
}

/// Options of the mean-field steady state (time evolution of the mean-field dynamics until it stops moving).
public struct KineticIsingMeanFieldOptions: Sendable, Equatable {
    /// Stop when max_i |m_{i,t} − m_{i,t−1}| ≤ tolerance.
    public var tolerance: Double
    /// At most this many steps, else ``SpinModelsError/notConverged(operation:iterations:residual:)``.
    public var maximumIterations: Int

    public init(tolerance: Double = 1e-13, maximumIterations: Int = 100_000) {
        self.tolerance = tolerance
        self.maximumIterations = maximumIterations
    }
}

extension KineticIsing {
    /// One mean-field step from m_{t−1} (docs/theory/kinetic-ising.md §2; Aguilera et al. 2021, P[t−1,t] first order):
    ///
    ///     m_{i,t} = tanh(β(H_i + Σ_j J_ij m_{j,t−1})),   C_{ik,t} = δ_ik (1 − m_{i,t}²),
    ///     D_{il,t} = (1 − m_{i,t}²) β J_il (1 − m_{l,t−1}²),   σ_t = β Σ_ij (J_ij − J_ji) D_ij,t .
    ///
    /// Cost O(N²).
    /// - Throws: ``SpinModelsError`` when m_{t−1} has the wrong length, leaves [−1, 1] or is not finite.
    public func meanFieldStep(from previous: [Double]) throws(SpinModelsError) -> KineticIsingMeanFieldState {
        try checkMagnetizations(previous)
        let m = meanFieldMap(previous)
        let residual = zip(m, previous).reduce(0.0) { r, pair in max(r, abs(pair.0 - pair.1)) }
        return try meanFieldState(current: m, previous: previous, iterations: 1, residual: residual)
    }

    /// The mean-field steady state: the mean-field dynamics m_t = tanh(β(H + J m_{t−1})) run from m_0 = tanh(βH)
    /// until max_i |m_t − m_{t−1}| ≤ tolerance, then D and σ there (m_{t−1} = m_t). At the steady state
    /// σ = σ_hk = (β²/2) Σ (J_ij − J_ji)²(1 − m_i²)(1 − m_j²) ≥ 0. Cost O(N²) per step.
    /// - Throws: ``SpinModelsError/notConverged(operation:iterations:residual:)`` when the dynamics does not settle
    ///   (an oscillating or chaotic mean field at strong asymmetric coupling).
    public func meanFieldSteadyState(options: KineticIsingMeanFieldOptions = .init()) throws(SpinModelsError) -> KineticIsingMeanFieldState {
        guard options.tolerance.isFinite, options.tolerance > 0 else {
            throw .invalidArgument("mean-field tolerance must be finite and > 0, got \(options.tolerance)")
        }
        guard options.maximumIterations >= 1 else {
            throw .invalidArgument("mean-field maximumIterations must be ≥ 1, got \(options.maximumIterations)")
        }
        var m = fields.map { tanh(beta * $0) }
        var residual = Double.infinity
        var iterations = 0
        while iterations < options.maximumIterations {
            let next = meanFieldMap(m)
            iterations += 1
            residual = zip(next, m).reduce(0.0) { r, pair in max(r, abs(pair.0 - pair.1)) }
            m = next
            if residual <= options.tolerance { break }
        }
        guard residual <= options.tolerance else {
            throw .notConverged(operation: "kinetic Ising mean-field steady state", iterations: iterations, residual: residual)
        }
        return try meanFieldState(current: m, previous: m, iterations: iterations, residual: residual)
    }

    /// tanh(β(H + J m)).
    func meanFieldMap(_ m: [Double]) -> [Double] {
        var h = [Double](repeating: 0, count: sites)
        m.withUnsafeBufferPointer { mp in h.withUnsafeMutableBufferPointer { hp in localFields(mp.baseAddress!, into: hp.baseAddress!) } }
        return h.map { tanh($0) }
    }

    func checkMagnetizations(_ m: [Double]) throws(SpinModelsError) {
        guard m.count == sites else {
            throw .dimensionMismatch("magnetizations have \(m.count) entries, the model has \(sites) sites")
        }
        guard m.allSatisfy(\.isFinite) else { throw .nonFinite("magnetizations") }
        guard m.allSatisfy({ abs($0) <= 1 }) else { throw .invalidArgument("magnetizations must lie in [−1, 1]") }
    }

    func meanFieldState(current m: [Double], previous: [Double], iterations: Int, residual: Double) throws(SpinModelsError) -> KineticIsingMeanFieldState {
        let n = sites
        let c = m.map { 1 - $0 * $0 }, cPrevious = previous.map { 1 - $0 * $0 }
        var d = Matrix(rows: n, columns: n)
        var cStar = Matrix(rows: n, columns: n)
        for l in 0..<n {
            for i in 0..<n {
                d[i, l] = c[i] * beta * couplings[i, l] * cPrevious[l]
                cStar[i, l] = c[i] * c[l]
            }
        }
        let sigma = try SpinEntropyProduction.steadyStateRelation(couplings: couplings, delayedCorrelation: d, beta: beta)
        let sigmaHK = try SpinEntropyProduction.housekeeping(couplings: couplings, traceProduct: cStar, beta: beta)
        guard sigma.isFinite, sigmaHK.isFinite else { throw .nonFinite("kinetic Ising mean-field entropy production") }
        return KineticIsingMeanFieldState(magnetizations: m, previousMagnetizations: previous, delayedCorrelation: d,
                                          entropyProduction: sigma, housekeepingEntropyProduction: sigmaHK,
                                          iterations: iterations, residual: residual)
    }
}
