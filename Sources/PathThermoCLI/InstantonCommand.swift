import ArgumentParser
import Dynamics
import PathSpace

/// `paththermo instanton`: the most probable future from x₀ with a free end, argmin S[x] (Eq. 10 of
/// arXiv:2606.28751; docs/theory/path-space-inference.md §3), with the checks of Eqs. 11 and 12.
struct InstantonCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "instanton",
        abstract: "The most probable path from x0 over a horizon T (free end): Newton on the banded Hessian of S.",
        discussion: """
            Minimises the Onsager–Machlup action S[x] (see `paththermo action --help`) over paths of --steps steps with \
            x(0) = --x0 and a free end, starting from the deterministic rollout. Reports S[x*], the distance to the \
            rollout max |x* − x_rollout| (Eq. 12: O(D)), the drift of the conserved E of Eq. 11 along the path, the \
            relative power of the gyroscopic force |ẋ·2J_A ẋ| (0 by Eq. 10), the Newton iterations and the final \
            relative gradient norm. Points are JSON literals ('[1,0]') or .npy/.json files. With --out the path goes \
            to an (n + 1, d) float64 .npy, written atomically.
            """
    )

    @OptionGroup var model: PathDriftOptions

    @Option(help: "Start x0: a list of d numbers (JSON literal such as '[1,0]', .npy or .json).")
    var x0: String

    @OptionGroup var grid: PathHorizonOptions

    @Option(help: "Write the path x* here as an (n + 1, d) float64 .npy.")
    var out: String?

    @Flag(help: "Print one JSON object instead of a report.")
    var json = false

    struct Report: Encodable {
        let drift: String
        let discretisation: String
        let dimension: Int
        let steps: Int
        let horizon: Double
        let dt: Double
        let x0: [Double]
        let action: Double
        let kinetic_action: Double
        let divergence_action: Double
        let action_even: Double
        let action_odd: Double
        let rollout_deviation: Double
        let energy_drift: Double
        let gyroscopic_power: Double
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
        let start = try PathInputs.point(x0, option: "--x0", dimension: f.dimension)
        try grid.checkMemory("instanton", dimension: f.dimension)
        try PathInputs.checkOut(out, command: "instanton", states: grid.steps + 1, dimension: f.dimension)
        let result: Instanton
        do {
            result = try action.instanton(from: start, horizon: grid.horizon, steps: grid.steps, options: grid.newton)
        } catch {
            throw CLIError("\(error)")
        }
        if let out { try PathInputs.write(result.path, to: out) }
        let a = result.action
        let report = Report(
            drift: model.label, discretisation: model.discretisation.rawValue, dimension: f.dimension, steps: grid.steps,
            horizon: grid.horizon, dt: result.path.timeStep, x0: start, action: a.total, kinetic_action: a.kinetic,
            divergence_action: a.divergence, action_even: a.even, action_odd: a.odd,
            rollout_deviation: result.rolloutDeviation, energy_drift: result.energyDrift,
            gyroscopic_power: result.gyroscopicPower, iterations: result.iterations, residual: result.residual,
            path: result.path.rows, out: out)
        if json { return try JSONOutput.print(report) }
        print("instanton             \(grid.steps) steps × d = \(f.dimension), T \(fmt(grid.horizon)), Δt \(fmt(report.dt))  (\(model.label) drift, \(model.discretisation.rawValue))")
        print("x(0), x(T)            \(fmtPoint(start)), \(fmtPoint(result.path.state(grid.steps)))")
        print("action S[x*]          \(fmt(a.total))  (kinetic \(fmt(a.kinetic)), divergence \(fmt(a.divergence)))")
        print("rollout deviation     \(fmt(result.rolloutDeviation))  (max |x* − x_rollout|)")
        print("energy drift          \(fmt(result.energyDrift))  (max |E − E(0)|)")
        print("gyroscopic power      \(fmt(result.gyroscopicPower))  (relative)")
        print("Newton                \(result.iterations) iterations, relative gradient norm \(fmt(result.residual))")
        if let out { print("wrote                 \(out)  (\(grid.steps + 1), \(f.dimension)) float64") }
        JSONOutput.printWarnings(JSONOutput.warnings(for: report))
    }
}

extension InstantonCommand: ProvenanceDescribing {
    var provenanceParameters: ProvenanceParameters { .init(dt: grid.timeStep, units: PathSpaceUnits.text) }
}

extension DiscretePath {
    /// The states as rows, the JSON form of a path.
    var rows: [[Double]] { (0...steps).map { state($0) } }
}
