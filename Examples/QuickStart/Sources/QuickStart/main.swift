import PathThermo

// Exact entropy production of dx = B x dt + √(2D) dW (docs/theory/ou-exact.md).
let b = try Matrix([[-1, 2], [-2, -1]])
let ou = try OrnsteinUhlenbeck(drift: b, diffusion: 0.5)
print("σ =", ou.entropyProductionRate)                      // 2ω²/γ = 8
print("Σ =", ou.stationaryCovariance.rowArrays)             // 0.5 I
print("Ω =", try ou.irreversibleDrift.rowArrays)            // B + DΣ⁻¹

// The Lyapunov equation in SciPy's convention, A X + X Aᵀ = Q.
let a = try Matrix([[-1, 0.5], [0, -2]])
let q = Matrix.identity(2)
let x = try solveContinuousLyapunov(a, q)
print("X =", x.rowArrays)

// Many 2 × 2 models at once, in closed form: B = −(I − ωR90), D = 0.5 I, σ = 2ω².
let drifts = [0.5, 1, 2].map { w in Matrix2x2(-1, -w, w, -1) }
let d = Matrix2x2(0.5, 0, 0, 0.5)
let sigmas = try OrnsteinUhlenbeck2D.entropyProductionRates(drifts: drifts, diffusion: d)
print("σ(ω) =", sigmas)                                     // [0.5, 2, 8]

// Simulate the softmax memory-slot toy straight into the blind grid estimator (nothing stored).
let drift = try SoftmaxAttentionDrift.paperToy(alpha: 3)
let grid = try KramersMoyalGrid(bins: 20, bounds: [-3...3, -3...3], timeStep: 0.01)
let engine = try EulerMaruyama(timeStep: 0.01, diffusion: 0.5, rollouts: 64, steps: 10_001, burnIn: 1_000, seed: 7)
let estimate = try grid.estimate(try engine.run(drift, observer: grid)).estimate
print("σ̂ =", estimate.entropyProductionRate, "± stderr", estimate.standardError,
      "bias", estimate.bias, "debiased", estimate.debiased)
