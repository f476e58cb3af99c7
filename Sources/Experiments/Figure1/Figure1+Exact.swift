import Dynamics
import FokkerPlanck

extension Figure1Experiment {
    /// The exact σ of `drift` from the stationary Fokker–Planck solve on [−L, L]², L = ``Figure1Configuration/exactHalfWidth``,
    /// with ``Figure1Configuration/exactCells`` cells per axis and the grids n/2, n/4 for the Richardson step
    /// (docs/theory/fokker-planck.md); nil when the configuration skips it (0 cells). Cost ≈ 1.07 × one fine-grid
    /// solve, ≈ 2n⁴ flops by block elimination.
    ///
    /// - Throws: ``ExperimentError/invalidConfiguration(_:)`` naming `label` and the solver's one-line error (a box
    ///   that leaks probability, a grid too large for memory, a failed solve).
    func exactReference<F: Drift>(_ drift: F, label: String) throws -> ExactReference? {
        guard let problem = try exactProblem(drift, label: label) else { return nil }
        do {
            return ExactReference(try problem.entropyProduction(), halfWidth: configuration.exactHalfWidth)
        } catch {
            throw failure(label, error)
        }
    }

    /// The Fokker–Planck problem of `drift` on the configured grid and box (its memory plan checked against the
    /// budget); nil when the configuration skips the exact reference.
    func exactProblem<F: Drift>(_ drift: F, label: String) throws -> StationaryFokkerPlanck<F>? {
        let c = configuration
        guard c.exactCells > 0 else { return nil }
        do {
            return try StationaryFokkerPlanck(drift: drift, diffusion: try Diffusion.isotropic(c.diffusion),
                                              cellsPerAxis: c.exactCells, halfWidth: c.exactHalfWidth, threads: c.threads,
                                              memoryBudget: budget)
        } catch {
            throw failure(label, error)
        }
    }

    private func failure(_ label: String, _ error: any Error) -> ExperimentError {
        let c = configuration
        return .invalidConfiguration(
            "Fokker–Planck reference of the \(label) (\(c.exactCells)² cells on [−\(c.exactHalfWidth), \(c.exactHalfWidth)]²): \(error)")
    }

    /// The exact collapse of Figure 1(c) at one sweep point: σ before / σ after the intervention W → W_S.
    /// - linear model: σ(W_S) = 0 exactly (a symmetric linear drift is a gradient flow), so the ratio is infinite;
    /// - softmax model with S ∝ I: the same (W_S = sI makes it a gradient flow, Eq. 22);
    /// - softmax model with an anisotropic S: the ratio of the Fokker–Planck values, finite while σ(W_S) is resolved.
    static func exactCollapse(_ point: SweepPoint, softmaxAfter: ExactReference?, configuration: Figure1Configuration) -> ExactCollapse {
        if point.model == "linear" {
            return .ratio(before: nil, after: nil, afterIsExactlyZero: "a symmetric linear drift is a gradient flow")
        }
        if configuration.symmetricPartIsIsotropic {
            return .ratio(before: nil, after: nil, afterIsExactlyZero: "S ∝ I: the symmetrized softmax model is a gradient flow")
        }
        return .ratio(before: point.fokkerPlanck.map { ($0.entropyProductionRate, $0.discretisationError) },
                      after: softmaxAfter.map { ($0.entropyProductionRate, $0.discretisationError) },
                      afterIsExactlyZero: nil)
    }
}
