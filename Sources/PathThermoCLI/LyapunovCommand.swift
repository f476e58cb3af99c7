import ArgumentParser
import ArrayIO
import Foundation
import LinearAlgebra

/// `paththermo lyapunov`: solve a Lyapunov equation from .npy files, in SciPy's conventions.
struct LyapunovCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "lyapunov",
        abstract: "Solve A X + X Aᵀ = Q (or, with --discrete, A X Aᵀ − X + Q = 0).",
        discussion: """
            Same conventions as scipy.linalg.solve_continuous_lyapunov(a, q) and
            solve_discrete_lyapunov(a, q). Reports the relative residual and the solver's wall time
            (excluding file I/O; with --repeat k, the fastest of k solves). The residual is computed on
            power-of-two-scaled matrices, so it is finite for any finite A, X, Q (entries near 1e308 included).
            """
    )

    @Option(help: "Coefficient matrix A (.npy, .json or JSON literal).")
    var a: String

    @Option(help: "Right-hand side Q (.npy, .json or JSON literal), or a scalar c for Q = c I.")
    var q: String

    @Option(help: "Write X here as .npy.")
    var out: String?

    @Flag(help: "Solve the discrete equation A X Aᵀ − X + Q = 0.")
    var discrete = false

    @Option(help: "Triangular Sylvester kernel for the continuous equation: level3 (dtrsyl3) or level2 (dtrsyl).")
    var solver: SolverChoice = .level3

    @Option(name: .customLong("repeat"), help: "Solve this many times and report the fastest (benchmarking in one warm process).")
    var repeats: Int = 1

    @Flag(help: "Print one JSON object instead of a report.")
    var json = false

    enum SolverChoice: String, ExpressibleByArgument {
        case level3, level2
        var kernel: TriangularSylvesterSolver { self == .level3 ? .level3 : .level2 }
    }

    struct Report: Encodable {
        let equation: String
        let dimension: Int
        let residual: Double
        let seconds: Double
        let out: String?
    }

    func run() throws {
        let am = try MatrixOption.matrix(a, option: "--a")
        let qm = try MatrixOption.matrixOrIsotropic(q, option: "--q", dimension: am.rows)
        let (x, seconds) = try fastest(of: repeats) {
            discrete ? try solveDiscreteLyapunov(am, qm) : try solveContinuousLyapunov(am, qm, solver: solver.kernel)
        }
        guard x.isFinite else { throw CLIError("the solution X is not finite (its entries overflow the range of Double)") }
        let residual = discrete ? try discreteLyapunovResidual(am, x, qm) : try continuousLyapunovResidual(am, x, qm)
        guard residual.isFinite else { throw CLIError("the residual of the solution is not finite") }
        if let out { try NPY.write(x, to: out) }
        let report = Report(equation: discrete ? "A X Aᵀ − X + Q = 0" : "A X + X Aᵀ = Q",
                            dimension: am.rows, residual: residual, seconds: seconds, out: out)
        if json { return try JSONOutput.print(report) }
        print("equation   \(report.equation)   (n = \(report.dimension))")
        print("residual   \(fmt(residual))   (relative, Frobenius)")
        print("seconds    \(fmt(seconds))")
        if let out { print("wrote      \(out)") }
    }
}
