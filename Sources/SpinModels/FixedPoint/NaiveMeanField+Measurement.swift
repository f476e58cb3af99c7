import LinearAlgebra

/// Which spin-transformer generation's entropy-production measurement to reproduce
/// (docs/theory/spin-fixed-points.md §6).
public enum SpinEPVariant: String, Sendable, Hashable, CaseIterable {
    /// v0.0.1 / the post: one step from the previous *call's* fields θ_prev, the post's explicit D (large D).
    case post
    /// HEAD v0.1.1: the pair of fields h = x + J m_K, h_prev = x + J m_{K−1}, C* = Tr(Σ(h_i)Σ(h_prev,j)), D = βJ∘C*.
    case head
}

/// One measurement of the mean-field EP of a spin layer (what `paththermo spin-ep` prints).
public struct SpinEPMeasurement: Sendable {
    public var variant: SpinEPVariant
    /// The output magnetizations (N × D): m₁ (post), m_K (head), or m* with a fixed point.
    public var magnetizations: Matrix
    /// γ_i of the fields that produced `magnetizations`.
    public var stiffness: [Double]
    /// The delayed correlations D_ij (post's formula, or βJ_ij C*_ij for head).
    public var delayedCorrelation: Matrix
    /// The trace product C*_ij = Tr(Σ_i Σ'_j) of the same pair of states.
    public var traceProduct: Matrix
    /// σ = β Σ (J − Jᵀ)∘D.
    public var entropyProduction: Double
    /// σ_hk = (β²/2) Σ (J − Jᵀ)² ∘ C* of the same pair (the NESS housekeeping EP when the pair is a fixed point).
    public var housekeepingEntropyProduction: Double
    /// max_i ‖φ(x + J m)_i − m_i‖ for m = `magnetizations`: 0 at a fixed point, how far from one otherwise.
    public var fixedPointResidual: Double
    /// The fixed-point solve, when one was asked for.
    public var fixedPoint: FixedPointSolution?
    /// ρ(∂g/∂m) at the fixed point, when one was solved and converged.
    public var localContraction: Double?
    /// Named warnings (e.g. the post's arbitrary first-call previous state).
    public var warnings: [String]
}

extension NaiveMeanField {
    /// The warning of a post-variant measurement whose previous fields are v0.0.1's first-call all-ones state.
    public static let firstCallWarning = "first_call_previous_state: θ_prev = ones (v0.0.1's first call), so σ compares the step with an arbitrary state"

    /// Measures the mean-field EP of this layer in the style of `variant` (docs/theory/spin-fixed-points.md §6).
    ///
    /// * post: `previous` is θ_prev, the fields of the previous call (N × D; nil = all ones, as on v0.0.1's first
    ///   call, with ``firstCallWarning``). m₀ = φ(θ_prev), then one step θ₁ = x + J m₀, m₁ = φ(θ₁) — or, with
    ///   `fixedPoint`, the fixed point started at φ(x + J m₀) and θ = x + J m*. D is the post's explicit formula
    ///   between the current state and θ_prev's, σ = β Σ (J − Jᵀ)∘D.
    /// * head: `previous` is m_{K−1} (nil = zeros, the "reset" init). m_K = φ(x + J m_{K−1}), h_prev = x + J m_{K−1},
    ///   h = x + J m_K; or, with `fixedPoint`, the fixed point from m_{K−1} and h = h_prev = x + J m*.
    ///   C* = Tr(Σ(h_i)Σ(h_prev,j)), D = βJ∘C*, σ = β Σ (J − Jᵀ)∘D and σ_hk = (β²/2) Σ (J − Jᵀ)²∘C* (equal at a fixed point).
    /// - Throws: shape errors for `previous`, the fixed-point errors (set `requireConvergence` to make an unconverged
    ///   solve an error), non-finite results.
    public func measureEntropyProduction(variant: SpinEPVariant, previous: Matrix? = nil,
                                         fixedPoint options: FixedPointOptions? = nil) throws(SpinModelsError) -> SpinEPMeasurement {
        if let previous { try checkShape(previous, variant == .post ? "previous fields θ_prev" : "previous magnetizations m_{K−1}") }
        var warnings: [String] = []
        let current: MeanFieldStep, earlier: MeanFieldStep, output: MeanFieldStep
        var solution: FixedPointSolution?
        switch variant {
        case .post:
            if previous == nil { warnings.append(Self.firstCallWarning) }
            let fields = previous ?? Matrix(rows: sites, columns: space.dimension, repeating: 1)
            earlier = try respond(fields)
            let first = try step(from: earlier.magnetizations)
            if let options {
                solution = try fixedPoint(from: first.magnetizations, options: options)
                current = solution!.state
            } else {
                current = first
            }
            output = current
        case .head:
            let start = previous ?? Matrix(rows: sites, columns: space.dimension)
            if let options {
                solution = try fixedPoint(from: start, options: options)
                current = solution!.state
                earlier = current
                output = current
            } else {
                earlier = try step(from: start)
                current = try step(from: earlier.magnetizations)
                output = earlier
            }
        }
        let trace = try space.traceProduct(current: current, previous: earlier)
        let delayed: Matrix
        switch variant {
        case .post: delayed = try space.postDelayedCorrelation(couplings: couplings, current: current, previous: earlier, beta: beta)
        case .head: delayed = try SpinEntropyProduction.delayedCorrelation(couplings: couplings, traceProduct: trace, beta: beta)
        }
        let sigma = try SpinEntropyProduction.steadyStateRelation(couplings: couplings, delayedCorrelation: delayed, beta: beta)
        let housekeeping = try SpinEntropyProduction.housekeeping(couplings: couplings, traceProduct: trace, beta: beta)
        guard sigma.isFinite, housekeeping.isFinite else { throw .nonFinite("entropy production of the \(variant.rawValue) variant") }
        var contraction: Double?
        if let solution, solution.converged { contraction = try localContraction(at: solution) }
        return SpinEPMeasurement(variant: variant, magnetizations: output.magnetizations, stiffness: output.stiffness,
                                 delayedCorrelation: delayed, traceProduct: trace, entropyProduction: sigma,
                                 housekeepingEntropyProduction: housekeeping,
                                 fixedPointResidual: try fixedPointResidual(of: output.magnetizations),
                                 fixedPoint: solution, localContraction: contraction, warnings: warnings)
    }

    /// The site response (large-D or exact, as configured) to given fields.
    func respond(_ fields: Matrix) throws(SpinModelsError) -> MeanFieldStep {
        switch response {
        case .largeDimension: return try space.response(fields: fields, beta: beta)
        case .exact: return try space.exactResponse(fields: fields, beta: beta)
        }
    }
}
