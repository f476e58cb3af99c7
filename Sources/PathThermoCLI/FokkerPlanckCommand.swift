import ArgumentParser
import ArrayIO
import Dynamics
import FokkerPlanck
import Foundation

/// `paththermo fokker-planck`: the exact stationary entropy production of a drift in d = 2 or 3 from the stationary
/// Fokker–Planck equation ∇·(f p − D∇p) = 0 on a box (finite volumes with Scharfetter–Gummel fluxes, Schnakenberg σ
/// of the jump process, Richardson over two grids; docs/theory/fokker-planck.md, Eq. 28 of arXiv:2606.28751).
struct FokkerPlanckCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "fokker-planck",
        abstract: "Exact stationary EP of a drift in d = 2, 3 from the stationary Fokker–Planck equation on a box.",
        discussion: """
            Solves ∇·(f p − D∇p) = 0 with zero flux at the walls of [c − L, c + L]^d on --grid n cells per axis (and on \
            n/2 and n/4), and reports the Richardson value of σ from n and n/2 (entropy_production_rate), its \
            discretisation_error (|Richardson − fine-grid σ_h|), the grids' σ_h, the observed order, and \
            probability_outside, the mass in the outer layer of cells (above 10⁻³ the box cuts the density off: an \
            error). The grid's plan is checked against --max-memory before anything is allocated. With --out DIR: density.npy (the \
            probability of each cell, n × n[× n], summing to 1; divide by h^d for the density), current.npy (the \
            cell-centred probability current J, n × n[× n] × d, x coordinates) and fokker-planck.json. Results do not \
            depend on --threads.
            """
    )

    @OptionGroup var source: DriftOptions

    @Option(help: "Diffusion: a scalar s > 0 (D = s·I) or a d × d symmetric positive-definite matrix (JSON literal, .npy or .json).")
    var diffusion: String

    @Option(help: "Cells per axis n of the fine grid.")
    var grid: Int

    @Option(help: "Half-width L > 0 of the box [c − L, c + L]^d.")
    var box: Double

    @Option(help: "Centre c of the box: a list of d numbers (default: the origin).")
    var center: String?

    @Option(help: "Worker threads (0: one per core); results do not depend on it.")
    var threads: Int = 0

    @Option(help: "Linear solver: automatic (the default: sparse LU for d = 2, the sparse solver for d = 3), block-elimination or band-lu (d = 2 only), sparse.")
    var solver: SolverChoice = .automatic

    /// `--solver`: the library's ``FokkerPlanckSolver`` in the CLI's kebab-case vocabulary.
    enum SolverChoice: String, ExpressibleByArgument, CaseIterable {
        case automatic, blockElimination = "block-elimination", bandLU = "band-lu", sparse

        var solver: FokkerPlanckSolver {
            switch self {
            case .automatic: return .automatic
            case .blockElimination: return .blockElimination
            case .bandLU: return .bandLU
            case .sparse: return .sparse
            }
        }
    }

    @Option(help: "Directory for density.npy, current.npy and fokker-planck.json.")
    var out: String?

    @Flag(help: "Print one JSON object instead of a report.")
    var json = false

    @OptionGroup var resources: ResourceOptions

    /// The result, as printed with --json and written to fokker-planck.json.
    struct Report: Encodable {
        let drift: String
        let dimension: Int
        let grid: Int
        let box: Double
        let center: [Double]
        let entropy_production_rate: Double
        let discretisation_error: Double
        let fine_grid: Int
        let fine_rate: Double
        let coarse_grid: Int
        let coarse_rate: Double
        let coarsest_grid: Int
        let coarsest_rate: Double
        let observed_order: Double
        let probability_outside: Double
    }

    static let jsonName = "fokker-planck.json"
    static let densityName = "density.npy"
    static let currentName = "current.npy"

    func run() throws {
        try compute(try source.load())
    }

    func compute<F: Drift>(_ f: F) throws {
        // The dimension (2 or 3) and the thread count are checked by StationaryFokkerPlanck itself.
        let d = f.dimension
        let noise = try SimulateCommand.diffusionModel(diffusion, dimension: d)
        let c = try center.map { try PathInputs.point($0, option: "--center", dimension: d) }
        let budget = try resources.budget()
        let result: FokkerPlanckEntropyProduction
        do {
            let problem = try StationaryFokkerPlanck(drift: f, diffusion: noise, cellsPerAxis: grid, halfWidth: box,
                                                     center: c, threads: threads, solver: solver.solver,
                                                     memoryBudget: budget)
            result = try problem.entropyProduction()
        } catch {
            throw CLIError("fokker-planck: \(error)")
        }
        let fine = result.fine
        let report = Report(
            drift: source.label, dimension: d, grid: grid, box: box, center: fine.center,
            entropy_production_rate: result.value, discretisation_error: result.discretisationError,
            fine_grid: fine.cellsPerAxis, fine_rate: fine.entropyProductionRate,
            coarse_grid: result.coarseCellsPerAxis, coarse_rate: result.coarseRate,
            coarsest_grid: result.coarsestCellsPerAxis, coarsest_rate: result.coarsestRate,
            observed_order: result.observedOrder, probability_outside: fine.probabilityNearWalls)
        if let out { try write(report, fine, to: out) }
        if json { return try JSONOutput.print(report) }
        print("stationary Fokker–Planck  \(source.label) drift, d = \(d), \(grid)^\(d) cells on [c ± \(fmt(box))]^\(d), c = \(fmtPoint(fine.center))")
        print("entropy production σ      \(fmt(result.value)) ± \(fmt(result.discretisationError)) (discretisation)")
        print("σ_h on the grids          \(fmt(fine.entropyProductionRate)) (\(fine.cellsPerAxis)^\(d)), \(fmt(result.coarseRate)) (\(result.coarseCellsPerAxis)^\(d)), "
              + "\(fmt(result.coarsestRate)) (\(result.coarsestCellsPerAxis)^\(d)); observed order \(fmt(result.observedOrder))")
        print("probability outside       \(fmt(fine.probabilityNearWalls)) (outer layer of cells)")
        if let out { print("wrote \(out)/\(Self.densityName), \(Self.currentName), \(Self.jsonName)") }
        JSONOutput.printWarnings(JSONOutput.warnings(for: report))
    }

    /// density.npy (cell probabilities, n^d), current.npy (n^d × d) and the JSON report, each replaced atomically.
    private func write(_ report: Report, _ solution: FokkerPlanckSolution, to directory: String) throws {
        let n = solution.cellsPerAxis, d = solution.dimension
        do {
            try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        } catch {
            throw CLIError("--out: cannot create \(directory): \(error.localizedDescription)")
        }
        let cells = [Int](repeating: n, count: d)
        do {
            try NPY.write(try NPYArray(shape: cells, values: solution.masses), to: directory + "/" + Self.densityName)
            try NPY.write(try NPYArray(shape: cells + [d], values: solution.currents), to: directory + "/" + Self.currentName)
            try ResultFile.writeJSON(report, to: directory + "/" + Self.jsonName)
        } catch let error as ArrayIOError {
            throw CLIError("--out: \(error)")
        }
    }
}

extension FokkerPlanckCommand: ProvenanceDescribing {
    var provenanceParameters: ProvenanceParameters { .init(units: ResultUnits.rate) }
}
