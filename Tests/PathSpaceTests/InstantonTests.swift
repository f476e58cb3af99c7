import Foundation
import Testing
import LinearAlgebra
import Dynamics
import TestSupport
@testable import PathSpace

/// The instanton (Eq. 10): the rollout for a linear drift, the O(D) departure of Eq. 12 (P5), the conserved E of
/// Eq. 11, the vanishing gyroscopic power, non-convergence and range checks.
@Suite struct InstantonTests {
    static let cubic = CubicTestDrift(b: (try? Matrix([[-0.5, 1.2], [-0.8, -0.3]])) ?? .identity(2), c: 0.4)

    /// Linear drift, random stable B and anisotropic D, d ≤ 8: instanton = rollout (≤ 1e-8), both schemes.
    @Test func linearInstantonIsTheRollout() throws {
        var rng = SplitMix64(seed: 1)
        for d in [1, 2, 3, 5, 8] {
            let b = Matrix.randomStable(d, &rng), dm = PathTestSupport.randomSPD(d, &rng)
            let x0 = (0..<d).map { _ in 2 * rng.nextDouble() - 1 }
            for scheme in PathDiscretisation.allCases {
                let action = try OnsagerMachlupAction(drift: try LinearDrift(matrix: b), diffusionMatrix: dm, discretisation: scheme)
                let inst = try action.instanton(from: x0, horizon: 1.5, steps: 300)
                let roll = try action.rollout(from: x0, steps: 300, timeStep: 0.005)
                let dev = PathTestSupport.maxAbs(zip(inst.path.points, roll.points).map { $0 - $1 })
                #expect(dev <= 1e-8 && inst.rolloutDeviation <= 1e-8, "d = \(d) \(scheme): \(dev)")
                #expect(inst.gyroscopicPower <= 1e-10)
            }
        }
    }

    /// Newton itself (not just its start): from a perturbed path it returns to the linear rollout (≤ 1e-8) and,
    /// for the cubic drift, to the instanton found from the rollout.
    @Test func newtonConvergesFromAPerturbedStart() throws {
        var rng = SplitMix64(seed: 4)
        let b = Matrix.randomStable(4, &rng), dm = PathTestSupport.randomSPD(4, &rng)
        for scheme in PathDiscretisation.allCases {
            let linear = try OnsagerMachlupAction(drift: try LinearDrift(matrix: b), diffusionMatrix: dm, discretisation: scheme)
            let roll = try linear.rollout(from: [1, -0.5, 0.3, 0.8], steps: 100, timeStep: 0.01)
            var start = roll
            for i in 4..<start.points.count { start.points[i] += 0.3 * (rng.nextDouble() - 0.5) }
            let r = try linear.minimise(from: start, freeNodes: 1...100, terminalCost: nil, options: NewtonOptions(), operation: "test")
            let dev = PathTestSupport.maxAbs(zip(r.path.points, roll.points).map { $0 - $1 })
            #expect(dev <= 1e-8, "\(scheme): \(dev)")

            let cubic = try OnsagerMachlupAction(drift: Self.cubic, diffusion: try .isotropic(0.2), discretisation: scheme)
            let inst = try cubic.instanton(from: [1, 0.5], horizon: 2, steps: 200)
            var s2 = inst.path
            for i in 2..<s2.points.count { s2.points[i] += 0.2 * (rng.nextDouble() - 0.5) }
            let r2 = try cubic.minimise(from: s2, freeNodes: 1...200, terminalCost: nil, options: NewtonOptions(), operation: "test")
            let dev2 = PathTestSupport.maxAbs(zip(r2.path.points, inst.path.points).map { $0 - $1 })
            #expect(dev2 <= 1e-8, "cubic \(scheme): \(dev2)")
            let g = try cubic.gradient(of: inst.path)
            #expect(PathTestSupport.maxAbs(Array(g[2...])) <= 1e-9, "cubic \(scheme): gradient at x* \(PathTestSupport.maxAbs(Array(g[2...])))")
        }
    }

    /// Eq. 12 (P5): for a drift with non-uniform ∇·f the instanton departs from the rollout by O(D):
    /// rolloutDeviation(D)/rolloutDeviation(D/2) within 10 % of 2 at small D.
    @Test func rolloutDeviationScalesWithD() throws {
        for scheme in PathDiscretisation.allCases {
            var devs = [Double]()
            for dScale in [0.01, 0.005] {
                let dm = try Matrix([[dScale, 0.3 * dScale], [0.3 * dScale, 0.6 * dScale]])
                let action = try OnsagerMachlupAction(drift: Self.cubic, diffusionMatrix: dm, discretisation: scheme)
                let inst = try action.instanton(from: [1, 0.5], horizon: 2, steps: 400)
                devs.append(inst.rolloutDeviation)
                #expect(inst.gyroscopicPower <= 1e-10, "\(scheme): gyroscopic power \(inst.gyroscopicPower)")
            }
            let ratio = devs[0] / devs[1]
            #expect(devs[0] > 1e-6)
            #expect(abs(ratio - 2) <= 0.2, "\(scheme): ratio \(ratio) (deviations \(devs))")
        }
    }

    /// The energy of Eq. 11 along the instanton: its drift max|E − E₁| falls as O(Δt²) for the midpoint scheme
    /// (ratio ≈ 4 per halving) and as O(Δt) for the Euler scheme (ratio ≈ 2). Measured ratios are in the report.
    @Test func energyIsConservedToSecondOrderWithTheMidpointScheme() throws {
        for scheme in PathDiscretisation.allCases {
            let action = try OnsagerMachlupAction(drift: Self.cubic, diffusion: try .isotropic(0.2), discretisation: scheme)
            var drifts = [Double]()
            for n in [100, 200, 400] {
                drifts.append(try action.instanton(from: [1, 0.5], horizon: 2, steps: n).energyDrift)
            }
            let r1 = drifts[0] / drifts[1], r2 = drifts[1] / drifts[2]
            if scheme == .midpoint {
                #expect(abs(r1 - 4) <= 0.6 && abs(r2 - 4) <= 0.4, "midpoint energy drift \(drifts), ratios \(r1), \(r2)")
            } else {
                #expect(abs(r1 - 2) <= 0.4 && abs(r2 - 2) <= 0.3, "Euler energy drift \(drifts), ratios \(r1), \(r2)")
            }
        }
    }

    /// Small D and many steps: the gradient's rounding floor (≈ 1e-8 here) lies above the default tolerance, and
    /// Newton must still stop there (at its floor criterion) instead of reporting non-convergence.
    @Test func smallDiffusionAndManyStepsConverge() throws {
        for scheme in PathDiscretisation.allCases {
            let action = try OnsagerMachlupAction(drift: Self.cubic, diffusion: try .isotropic(2e-4), discretisation: scheme)
            let inst = try action.instanton(from: [1, 0.5], horizon: 2, steps: 4000)
            #expect(inst.iterations <= 10 && inst.residual <= 1e-6, "\(scheme): \(inst.iterations) iterations, residual \(inst.residual)")
            #expect(inst.rolloutDeviation > 0 && inst.rolloutDeviation < 1e-3)
        }
    }

    /// The paper's softmax toy at α = 3 (the issue's check): rolloutDeviation(D)/rolloutDeviation(D/2) within 10 % of
    /// 2 (measured 2.03–2.04 for D = 0.01), the energy drift quartering per halving of Δt with the midpoint scheme
    /// (measured 4.06, 4.03) and halving with Euler (2.01, 2.01), gyroscopic power at rounding level.
    @Test func softmaxToyShowsTheOrderDDepartureAndTheEnergyOrders() throws {
        let drift = try SoftmaxAttentionDrift.paperToy(alpha: 3)
        for scheme in PathDiscretisation.allCases {
            var devs = [Double]()
            for dd in [0.01, 0.005] {
                let action = try OnsagerMachlupAction(drift: drift, diffusion: try .isotropic(dd), discretisation: scheme)
                let inst = try action.instanton(from: [1.5, 0.5], horizon: 2, steps: 400)
                devs.append(inst.rolloutDeviation)
                #expect(inst.gyroscopicPower <= 1e-10)
            }
            #expect(abs(devs[0] / devs[1] - 2) <= 0.2, "\(scheme): deviations \(devs)")
            let action = try OnsagerMachlupAction(drift: drift, diffusion: try .isotropic(0.1), discretisation: scheme)
            let e = try [100, 200, 400].map { try action.instanton(from: [1.5, 0.5], horizon: 2, steps: $0).energyDrift }
            let expected = scheme == .midpoint ? 4.0 : 2.0
            #expect(abs(e[0] / e[1] - expected) <= 0.1 * expected && abs(e[1] / e[2] - expected) <= 0.1 * expected,
                    "\(scheme): energy drift \(e)")
        }
    }

    @Test func nonConvergenceSaysSoWithTheResidual() throws {
        let action = try OnsagerMachlupAction(drift: Self.cubic, diffusion: try .isotropic(0.5))
        do {
            _ = try action.instanton(from: [1.5, 0.5], horizon: 2, steps: 100, options: NewtonOptions(maxIterations: 1))
            Issue.record("converged in one iteration")
        } catch let error {
            guard case let .notConverged(_, iterations, residual) = error else { Issue.record("\(error)"); return }
            #expect(iterations == 1)
            #expect(residual > 0 && residual.isFinite)
            #expect(!error.description.contains("\n"))
        }
    }

    @Test func rangesAreCheckedFirst() throws {
        let action = try OnsagerMachlupAction(drift: Self.cubic, diffusion: try .isotropic(0.5))
        for steps in [0, -1, 1 << 40, 1 << 41, Int.max] {  // 2⁴⁰ passes the count limit but not the memory budget
            #expect(throws: PathSpaceError.self) { try action.instanton(from: [1, 0], horizon: 1, steps: steps) }
        }
        for horizon in [0.0, -1, .infinity, .nan] {
            #expect(throws: PathSpaceError.self) { try action.instanton(from: [1, 0], horizon: horizon, steps: 10) }
        }
        #expect(throws: PathSpaceError.self) { try action.instanton(from: [1, 0, 0], horizon: 1, steps: 10) }
        #expect(throws: PathSpaceError.self) { try action.instanton(from: [1, .nan], horizon: 1, steps: 10) }
        #expect(throws: PathSpaceError.self) {
            try action.instanton(from: [1, 0], horizon: 1, steps: 10, options: NewtonOptions(maxIterations: -1))
        }
        // One step is a valid (trivial-interior) problem.
        let one = try action.instanton(from: [1, 0], horizon: 0.1, steps: 1)
        #expect(one.path.steps == 1 && one.energy.isEmpty)
    }
}
