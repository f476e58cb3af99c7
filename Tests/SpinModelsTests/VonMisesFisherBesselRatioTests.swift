import Foundation
import LinearAlgebra
@testable import SpinModels
import Testing

/// The exact vMF moments A_D, A_D′, τ, ρ, δ and the log-normaliser against 80-digit references
/// (VonMisesFisherReference, from scripts/reference_vmf_scipy.py) over D ∈ [3, 2^20] and κ ∈ [1e-12, 1e12], plus
/// properties that need no reference: Amos' two-sided bound over κ up to 1e300, the derivative by finite differences,
/// and the agreement of the two algorithms where both apply.
@Suite struct VonMisesFisherBesselRatioTests {
    static func relative(_ got: Double, _ want: Double) -> Double {
        abs(got - want) / Swift.max(abs(want), .leastNormalMagnitude)
    }

    /// A, A′ = ρ/R², A′ − A/κ = δ/R² and τ/R² = A/κ to 1e-14 relative (measured worst: printed).
    @Test func momentsMatchReference() throws {
        var worst = (0.0, 0.0, 0.0, 0.0)
        for (d, kappa, a, aPrime, excess) in VonMisesFisherReference.moments {
            let space = try SpinSpace(dimension: d)
            let m = space.exactMoments(concentration: kappa)
            let r2 = space.radiusSquared
            let errors = (Self.relative(m.ratio, a), Self.relative(m.radialVariance / r2, aPrime),
                          Self.relative(m.radialExcess / r2, excess), Self.relative(m.tangentialVariance / r2, a / kappa))
            #expect(errors.0 < 1e-14, "A_\(d)(\(kappa)) = \(m.ratio), want \(a)")
            #expect(errors.1 < 1e-14, "A′_\(d)(\(kappa)) = \(m.radialVariance / r2), want \(aPrime)")
            #expect(errors.2 < 1e-14, "δ/R² at D = \(d), κ = \(kappa): \(m.radialExcess / r2), want \(excess)")
            #expect(errors.3 < 1e-14, "τ/R² at D = \(d), κ = \(kappa)")
            let fast = space.besselRatio(kappa)
            #expect(kappa <= Double(d) ? fast == m.ratio : abs(fast - m.ratio) <= 2 * m.ratio.ulp, "D = \(d), κ = \(kappa)")
            worst = (Swift.max(worst.0, errors.0), Swift.max(worst.1, errors.1), Swift.max(worst.2, errors.2),
                     Swift.max(worst.3, errors.3))
        }
        print("vMF moments vs 80-digit reference, worst relative error: A \(worst.0), A′ \(worst.1), δ \(worst.2), τ \(worst.3)")
    }

    /// ln C_D(κ) − ln C_D(0) against −ln ₀F₁(; ν + 1; κ²/4) to 1e-14 relative.
    @Test func logNormaliserMatchesReference() throws {
        var worst = 0.0
        for (d, kappa, want) in VonMisesFisherReference.logNormaliser {
            let got = try SpinSpace(dimension: d).logNormaliserDifference(kappa)
            let error = Self.relative(got, want)
            #expect(error < 1e-14, "ln C_\(d)(\(kappa)) − ln C_\(d)(0) = \(got), want \(want)")
            worst = Swift.max(worst, error)
        }
        print("vMF log-normaliser vs mpmath 0F1, worst relative error \(worst)")
    }

    /// Amos (1974): κ/(ν + ½ + √((ν + 3/2)² + κ²)) ≤ A_D(κ) ≤ κ/(ν + ½ + √((ν + ½)² + κ²)), with a 4-ulp allowance, on
    /// a dense geometric grid κ ∈ [1e-300, 1e300] for several D; A, A′, τ finite and A′ ≤ A/κ (δ ≤ 0); the
    /// derivative-free ``SpinSpace/besselRatio(_:)`` within 2 ulps of ``SpinSpace/exactMoments(concentration:)``.
    @Test func amosBoundsEverywhere() throws {
        for d in [3, 4, 7, 32, 257, 10_000, 1 << 20] {
            let space = try SpinSpace(dimension: d)
            let nu = space.radiusSquared
            var kappa = 1e-300
            while kappa < 1e300 {
                let m = space.exactMoments(concentration: kappa)
                // κ/(c + √(e² + κ²)), as 1/(c/κ + √((e/κ)² + 1)) above κ = 1 so that neither κ² nor 1/κ² overflows.
                func amos(_ e: Double) -> Double {
                    kappa < 1 ? kappa / (nu + 0.5 + (e * e + kappa * kappa).squareRoot())
                        : 1 / ((nu + 0.5) / kappa + ((e / kappa) * (e / kappa) + 1).squareRoot())
                }
                let lower = amos(nu + 1.5), upper = amos(nu + 0.5)
                let slack = 4 * Double.ulpOfOne * upper
                #expect(m.ratio >= lower - slack && m.ratio <= upper + slack, "A_\(d)(\(kappa)) = \(m.ratio) outside [\(lower), \(upper)]")
                #expect(m.ratio.isFinite && m.radialVariance.isFinite && m.tangentialVariance.isFinite && m.radialExcess.isFinite)
                #expect(m.radialExcess <= 0 && m.radialVariance >= 0, "D = \(d), κ = \(kappa)")
                #expect(abs(space.besselRatio(kappa) - m.ratio) <= 2 * m.ratio.ulp, "D = \(d), κ = \(kappa)")
                kappa *= 1.37
            }
        }
    }

    /// ρ/R² = dA/dκ against a central difference of ``SpinSpace/besselRatio(_:)`` (step 1e-5 κ, truncation ~1e-10).
    @Test func derivativeMatchesFiniteDifference() throws {
        for d in [3, 8, 64, 1024] {
            let space = try SpinSpace(dimension: d)
            for kappa in [0.3, 2.0, Double(d) * 0.99, Double(d) * 1.01, 50, 700, 3e4] {
                let h = 1e-5 * kappa
                let fd = (space.besselRatio(kappa + h) - space.besselRatio(kappa - h)) / (2 * h)
                let exact = space.exactMoments(concentration: kappa).ratioDerivative
                #expect(Self.relative(fd, exact) < 1e-7, "D = \(d), κ = \(kappa): \(fd) vs \(exact)")
            }
        }
    }

    /// The backward recurrence (used for κ ≤ D) and Perron's fraction (used for κ > D) agree on A and A′ to 1e-14 on
    /// [D/2, 3D/2]: the switch at κ = D is seamless. (Beyond, 64 recurrence steps no longer suffice: at κ = 3D,
    /// D = 128 the recurrence's A′ is off by more than 1e-14, which is why Perron takes over.)
    @Test func algorithmsAgreeAcrossTheSwitch() throws {
        for d in [3, 5, 16, 128, 4096, 1 << 20] {
            let space = try SpinSpace(dimension: d)
            for f in [0.5, 0.8, 0.99, 1.0, 1.01, 1.5] {
                let kappa = f * Double(d)
                let (a, _, aPrime, _) = space.gaussRecurrence(kappa)
                let (b, bPrime) = space.perronFraction(kappa)
                #expect(Self.relative(a, b) < 1e-14 && Self.relative(aPrime, bPrime) < 1e-14, "D = \(d), κ = \(kappa)")
            }
        }
    }

    /// Limits and bad input: κ = 0 gives A = 0, τ = ρ = R²/D, δ = 0; κ = ∞ gives A = 1; NaN or negative κ give NaN.
    @Test func limitsAndBadInput() throws {
        let space = try SpinSpace(dimension: 10)
        let zero = space.exactMoments(concentration: 0)
        #expect(zero.ratio == 0 && zero.radialExcess == 0)
        #expect(zero.tangentialVariance == 0.4 && zero.radialVariance == 0.4)
        #expect(space.besselRatio(.infinity) == 1)
        #expect(space.besselRatio(.nan).isNaN && space.besselRatio(-1).isNaN)
        #expect(space.logNormaliserDifference(0) == 0 && space.logNormaliserDifference(-1).isNaN)
        #expect(space.logNormaliserDifference(.infinity) == -.infinity)
    }
}
