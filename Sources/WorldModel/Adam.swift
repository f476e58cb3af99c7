import Foundation

/// The Adam optimizer (Kingma & Ba 2015) with bias correction, over a flat parameter vector
/// (docs/theory/world-model.md §4 [RD]: lr 1e-2, β₁ = 0.9, β₂ = 0.999, ε = 1e-8). Step t = 1, 2, …:
///
///     m ← β₁ m + (1 − β₁) g,     v ← β₂ v + (1 − β₂) g²,
///     θ ← θ − lr · m̂ / (√v̂ + ε),   m̂ = m/(1 − β₁ᵗ),  v̂ = v/(1 − β₂ᵗ).
public struct Adam: Sendable, Equatable {
    /// Learning rate lr > 0.
    public let learningRate: Double
    /// First-moment decay β₁ ∈ [0, 1).
    public let beta1: Double
    /// Second-moment decay β₂ ∈ [0, 1).
    public let beta2: Double
    /// ε > 0 in the denominator.
    public let epsilon: Double
    /// First-moment estimate m.
    public private(set) var firstMoment: [Double]
    /// Second-moment estimate v.
    public private(set) var secondMoment: [Double]
    /// Steps taken so far, t.
    public private(set) var stepCount: Int = 0

    /// - Throws: ``WorldModelError`` for parameterCount < 1, lr or ε not finite and positive, or
    ///   β₁, β₂ outside [0, 1).
    public init(
        parameterCount: Int, learningRate: Double = 1e-2, beta1: Double = 0.9, beta2: Double = 0.999,
        epsilon: Double = 1e-8
    ) throws(WorldModelError) {
        guard parameterCount >= 1 else {
            throw .invalidCount(name: "parameter count", value: parameterCount, requirement: "≥ 1")
        }
        try WorldModelError.requirePositive(learningRate, "learning rate")
        try WorldModelError.requirePositive(epsilon, "epsilon")
        for (value, name) in [(beta1, "beta1"), (beta2, "beta2")] where !(value >= 0 && value < 1) {
            throw .invalidArgument(name: name, value: value, requirement: "in [0, 1)")
        }
        self.learningRate = learningRate
        self.beta1 = beta1
        self.beta2 = beta2
        self.epsilon = epsilon
        firstMoment = [Double](repeating: 0, count: parameterCount)
        secondMoment = firstMoment
    }

    /// One bias-corrected Adam update of `parameters` with `gradient` (same length as the optimizer's).
    /// - Throws: ``WorldModelError/parameterCountMismatch(expected:actual:)`` on a length mismatch,
    ///   ``WorldModelError/nonFinite(name:)`` for a non-finite gradient (nothing is changed then).
    public mutating func step(parameters: inout [Double], gradient: [Double]) throws(WorldModelError) {
        try step(parameters: &parameters, gradient: gradient, learningRate: learningRate)
    }

    /// ``step(parameters:gradient:)`` with another learning rate for this step (a schedule); the
    /// moments are updated as usual.
    public mutating func step(parameters: inout [Double], gradient: [Double], learningRate: Double) throws(WorldModelError) {
        try WorldModelError.requirePositive(learningRate, "learning rate")
        let n = firstMoment.count
        guard parameters.count == n else { throw .parameterCountMismatch(expected: n, actual: parameters.count) }
        guard gradient.count == n else { throw .parameterCountMismatch(expected: n, actual: gradient.count) }
        guard gradient.allSatisfy(\.isFinite) else { throw .nonFinite(name: "gradient") }
        stepCount += 1
        let t = Double(stepCount)
        let c1 = 1 / (1 - pow(beta1, t)), c2 = 1 / (1 - pow(beta2, t))
        for i in 0..<n {
            let gi = gradient[i]
            firstMoment[i] = beta1 * firstMoment[i] + (1 - beta1) * gi
            secondMoment[i] = beta2 * secondMoment[i] + (1 - beta2) * gi * gi
            let mHat = firstMoment[i] * c1, vHat = secondMoment[i] * c2
            parameters[i] -= learningRate * mHat / (vHat.squareRoot() + epsilon)
        }
    }

    /// One Adam step on a model: returns the model with updated ``AttentionWorldModel/parameters``.
    /// - Throws: as ``step(parameters:gradient:)`` and ``AttentionWorldModel/updating(parameters:)``
    ///   (e.g. a learnable β driven to ≤ 0).
    public mutating func step(
        model: AttentionWorldModel, gradient: AttentionWorldModelGradient
    ) throws(WorldModelError) -> AttentionWorldModel {
        var p = model.parameters
        try step(parameters: &p, gradient: gradient.flattened)
        return try model.updating(parameters: p)
    }
}
