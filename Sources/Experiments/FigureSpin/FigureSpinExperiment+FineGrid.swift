import LinearAlgebra
import SpinModels

/// The finer large-D-vs-exact grid (docs/theory/spin-fidelity.md §5): on a geometric (u, β) grid per D, the
/// relative differences between the fixed points of the large-D and the exact-vMF mean fields — magnetizations,
/// delayed correlations βJ∘C* and σ — with no sampling. They shrink like 1/D where both converge.
extension FigureSpinExperiment {
    func fineGrid() throws -> [FineGridPoint] {
        let c = configuration
        var out: [FineGridPoint] = []
        for d in c.dimensions {
            let problem = try SpinFidelityProblem(sites: c.sites, dimension: d, seed: c.seed)
            for beta in c.fineGrid {
                for u in c.fineGrid {
                    let large = try predict(try problem.meanField(drive: u, beta: beta, response: .largeDimension))
                    let exact = try predict(try problem.meanField(drive: u, beta: beta, response: .exact))
                    out.append(FineGridPoint(
                        dimension: d, drive: u, beta: beta,
                        magnetizationError: Self.relativeDistance(large.state.magnetizations.storage, exact.state.magnetizations.storage),
                        delayedCorrelationError: Self.relativeDistance(large.delayed.storage, exact.delayed.storage),
                        entropyProductionError: abs(large.entropyProduction - exact.entropyProduction) / abs(exact.entropyProduction),
                        converged: large.converged && exact.converged))
                }
            }
        }
        return out
    }

    /// ‖a − b‖/‖b‖ (Frobenius); nan when ‖b‖ = 0 (an undefined ratio, written as null with a warning).
    static func relativeDistance(_ a: [Double], _ b: [Double]) -> Double {
        var num = 0.0, den = 0.0
        for (x, y) in zip(a, b) { num += (x - y) * (x - y); den += y * y }
        return (num / den).squareRoot()
    }
}
