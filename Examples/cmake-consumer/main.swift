// The exact entropy production of a 3-D Ornstein–Uhlenbeck process dx = B x dt + √(2D) dW, computed by PathThermo
// (Lyapunov equation B Σ + Σ Bᵀ + 2D = 0 by Bartels–Stewart, then σ = tr(Ωᵀ D⁻¹ Ω Σ), Ω = B + D Σ⁻¹) and checked
// against the closed form. B is a damped rotation in the (x₁, x₂) plane, −γ I + ω R90, and a decoupled relaxation
// −κ in x₃; with D = d I the stationary covariance is Σ = diag(d/γ, d/γ, d/κ) and σ = 2ω²/γ (the third coordinate
// is in equilibrium). Exits 1 when a relative error exceeds 1e-12.
import Foundation
import LinearAlgebra
import Thermodynamics

let gamma = 1.5, omega = 2.0, kappa = 0.5, d = 0.7
let drift = try Matrix([[-gamma, omega, 0], [-omega, -gamma, 0], [0, 0, -kappa]])
let process = try OrnsteinUhlenbeck(drift: drift, diffusion: d)

let sigma = process.entropyProductionRate
let exactSigma = 2 * omega * omega / gamma
let exactCovariance = [d / gamma, d / gamma, d / kappa]

func relativeError(_ x: Double, _ exact: Double) -> Double { abs(x - exact) / abs(exact) }
let scale = exactCovariance.max() ?? 1
var worst = relativeError(sigma, exactSigma)
for i in 0..<3 {
    for j in 0..<3 {
        let exact = i == j ? exactCovariance[i] : 0
        worst = max(worst, abs(process.stationaryCovariance[i, j] - exact) / scale)
    }
}
print("σ = \(sigma) (closed form 2ω²/γ = \(exactSigma)); largest relative error \(worst)")
if !(worst <= 1e-12) {
    print("ou-consumer: the PathThermo result differs from the closed form")
    exit(1)
}
