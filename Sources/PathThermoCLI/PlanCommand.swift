import ArgumentParser
import Dynamics
import LinearAlgebra
import PathSpace

/// `paththermo plan`: the most probable path from x₀ to x₁ (or towards x₁ under a terminal cost), its action,
/// fluctuation determinant and saddle-point free energy (Eqs. 13–15 of arXiv:2606.28751;
/// docs/theory/path-space-inference.md §4).
struct PlanCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "plan",
        abstract: "The most probable path from x0 to x1 over a horizon T: action, ln det(M/M0), free energy.",
        discussion: """
            Minimises the Onsager–Machlup action S[x] (see `paththermo action --help`) with both ends fixed, \
            x(0) = --x0 and x(T) = --x1; with --terminal-weight w the end is free and x1 is the target of the terminal \
            cost Φ(x) = ½ w |x − x1|². Reports S[x*] and its kinetic part (½ dᵀΣ_T⁻¹d for a linear drift), the \
            fluctuation determinant ln det(M/M0) of the Hessian about x* relative to the free particle (f = 0), the \
            saddle-point free energy F ≈ S[x*] + ½ ln det(M/M0), Φ(x*(T)), the Newton iterations and the final \
            relative gradient norm. With --out the path goes to an (n + 1, d) float64 .npy, written atomically.
            """
    )

    @OptionGroup var model: PathDriftOptions

    @Option(help: "Start x0: a list of d numbers (JSON literal such as '[1,0]', .npy or .json).")
    var x0: String

    @Option(help: "Goal x1: the fixed end x(T), or the target of the terminal cost with --terminal-weight.")
    var x1: String

    @Option(name: .customLong("terminal-weight"),
            help: "Free end with the terminal cost ½ w |x(T) − x1|², w > 0 (default: x(T) = x1 fixed).")
    var terminalWeight: Double?

    @OptionGroup var grid: PathHorizonOptions

    @Option(help: "Write the planned path here as an (n + 1, d) float64 .npy.")
    var out: String?

    @Flag(help: "Print one JSON object instead of a report.")
    var json = false

    func validate() throws {
        if let w = terminalWeight, !(w.isFinite && w > 0) {
            throw CLIError("--terminal-weight must be finite and > 0, got \(w)")
        }
    }

    struct Report: Encodable {
        let drift: String
        let discretisation: String
        let dimension: Int
        let steps: Int
        let horizon: Double
        let dt: Double
        let x0: [Double]
        let x1: [Double]
        let terminal_weight: Double?
        let action: Double
        let kinetic_action: Double
        let divergence_action: Double
        let action_even: Double
        let action_odd: Double
        let log_det: Double
        let free_energy: Double
        let terminal_cost: Double
        let iterations: Int
        let residual: Double
        let path: [[Double]]
        let out: String?
    }

    func run() throws {
        try compute(try model.load())
    }

    func compute<F: DifferentiableDrift>(_ f: F) throws {
        let action = try model.action(f)
        let d = f.dimension
        let start = try PathInputs.point(x0, option: "--x0", dimension: d)
        let goal = try PathInputs.point(x1, option: "--x1", dimension: d)
        try grid.checkMemory("plan", dimension: d)
        try PathInputs.checkOut(out, command: "plan", states: grid.steps + 1, dimension: d)
        let result: Plan
        do {
            if let w = terminalWeight {
                let cost = TerminalCost(target: goal, weight: w * Matrix.identity(d))
                result = try action.plan(from: start, terminalCost: cost, horizon: grid.horizon, steps: grid.steps, options: grid.newton)
            } else {
                result = try action.plan(from: start, to: goal, horizon: grid.horizon, steps: grid.steps, options: grid.newton)
            }
        } catch {
            throw CLIError("\(error)")
        }
        if let out { try PathInputs.write(result.path, to: out) }
        let a = result.action
        let report = Report(
            drift: model.label, discretisation: model.discretisation.rawValue, dimension: d, steps: grid.steps,
            horizon: grid.horizon, dt: result.path.timeStep, x0: start, x1: goal, terminal_weight: terminalWeight,
            action: a.total, kinetic_action: result.kineticAction, divergence_action: a.divergence, action_even: a.even,
            action_odd: a.odd, log_det: result.logDeterminant, free_energy: result.freeEnergy,
            terminal_cost: result.terminalCost, iterations: result.iterations, residual: result.residual,
            path: result.path.rows, out: out)
        if json { return try JSONOutput.print(report) }
        let end = terminalWeight.map { "terminal cost ½·\(fmt($0))·|x − x1|²" } ?? "fixed end"
        print("plan                  \(grid.steps) steps × d = \(d), T \(fmt(grid.horizon)), Δt \(fmt(report.dt))  (\(model.label) drift, \(model.discretisation.rawValue), \(end))")
        print("x(0), x(T)            \(fmtPoint(start)), \(fmtPoint(result.path.state(grid.steps)))")
        print("action S[x*]          \(fmt(a.total))  (kinetic \(fmt(result.kineticAction)), divergence \(fmt(a.divergence)))")
        print("ln det(M/M0)          \(fmt(result.logDeterminant))")
        print("free energy           \(fmt(result.freeEnergy))  (S + ½ ln det)")
        if terminalWeight != nil { print("terminal cost         \(fmt(result.terminalCost))") }
        print("Newton                \(result.iterations) iterations, relative gradient norm \(fmt(result.residual))")
        if let out { print("wrote                 \(out)  (\(grid.steps + 1), \(d)) float64") }
        JSONOutput.printWarnings(JSONOutput.warnings(for: report))
    }
}

extension PlanCommand: ProvenanceDescribing {
    var provenanceParameters: ProvenanceParameters { .init(dt: grid.timeStep, units: PathSpaceUnits.text) }
}
