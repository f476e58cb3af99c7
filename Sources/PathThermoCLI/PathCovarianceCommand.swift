import ArgumentParser
import Dynamics
import PathSpace

/// `paththermo path-covariance`: the Gaussian (Laplace) uncertainty of paths about the most probable one,
/// Cov = (∇²S)⁻¹ = 2D·G (Eqs. 16–17 of arXiv:2606.28751; docs/theory/path-space-inference.md §4): about the instanton with
/// a free end (a prediction), or with --x1 about the plan with both ends fixed.
struct PathCovarianceCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "path-covariance",
        abstract: "The predictive covariance of paths about the instanton (free end) or, with --x1, about the plan.",
        discussion: """
            Finds x* (the instanton from --x0; with --x1 the plan from --x0 to --x1) and inverts the banded Hessian of \
            the action about it over the free nodes, from its band-Cholesky factor without the dense inverse. Reports \
            the covariance of the last free state (x(T) for a free end, x(T − Δt) for a plan: x(T) is pinned), the \
            marginal variances of every state ((n + 1) × d, zero at pinned states) and ln det of the Hessian over the \
            free nodes. For a linear drift and a free end the covariance of x(T) tends to Σ_T = Var[x(T) | x0] as Δt → 0.
            """
    )

    @OptionGroup var model: PathDriftOptions

    @Option(help: "Start x0: a list of d numbers (JSON literal such as '[1,0]', .npy or .json).")
    var x0: String

    @Option(help: "Goal x1 (pins x(T) = x1: the covariance about the plan); without it the end is free.")
    var x1: String?

    @OptionGroup var grid: PathHorizonOptions

    @Flag(help: "Print one JSON object instead of a report.")
    var json = false

    struct Report: Encodable {
        let drift: String
        let discretisation: String
        let boundary: String
        let dimension: Int
        let steps: Int
        let horizon: Double
        let dt: Double
        let x0: [Double]
        let x1: [Double]?
        let action: Double
        let iterations: Int
        let final_covariance: [[Double]]
        let marginal_variances: [[Double]]
        let log_det: Double
    }

    func run() throws {
        try compute(try model.load())
    }

    func compute<F: DifferentiableDrift>(_ f: F) throws {
        let action = try model.action(f)
        let d = f.dimension
        let start = try PathInputs.point(x0, option: "--x0", dimension: d)
        let goal = try x1.map { try PathInputs.point($0, option: "--x1", dimension: d) }
        try grid.checkMemory("path-covariance", dimension: d)
        let budget = try grid.resources.budget()
        let path: DiscretePath, value: ActionValue, iterations: Int
        let boundary: PathBoundary = goal == nil ? .freeEnd : .dirichlet
        let covariance: PathCovariance
        do {
            if let goal {
                let plan = try action.plan(from: start, to: goal, horizon: grid.horizon, steps: grid.steps, options: grid.newton)
                (path, value, iterations) = (plan.path, plan.action, plan.iterations)
            } else {
                let instanton = try action.instanton(from: start, horizon: grid.horizon, steps: grid.steps, options: grid.newton)
                (path, value, iterations) = (instanton.path, instanton.action, instanton.iterations)
            }
            covariance = try action.predictiveCovariance(about: path, boundary: boundary, budget: budget)
        } catch {
            throw CLIError("\(error)")
        }
        guard covariance.marginalVariances.count == (grid.steps + 1) * d else {
            throw CLIError("path-covariance: \(covariance.marginalVariances.count) marginal variances for \(grid.steps + 1) states × d = \(d)")
        }
        let variances = (0...grid.steps).map { k in Array(covariance.marginalVariances[(k * d)..<((k + 1) * d)]) }
        let report = Report(
            drift: model.label, discretisation: model.discretisation.rawValue,
            boundary: boundary == .freeEnd ? "free_end" : "dirichlet", dimension: d, steps: grid.steps,
            horizon: grid.horizon, dt: path.timeStep, x0: start, x1: goal, action: value.total, iterations: iterations,
            final_covariance: covariance.finalCovariance.json, marginal_variances: variances,
            log_det: covariance.logDeterminant)
        if json { return try JSONOutput.print(report) }
        let about = goal == nil ? "the instanton (free end)" : "the plan (both ends fixed)"
        print("covariance about      \(about): \(grid.steps) steps × d = \(d), T \(fmt(grid.horizon)), Δt \(fmt(report.dt))  (\(model.label) drift, \(model.discretisation.rawValue))")
        print((goal == nil ? "Cov[x(T)]             " : "Cov[x(T − Δt)]        ") + "[\(report.final_covariance.map(fmtPoint).joined(separator: ", "))]")
        print("ln det ∇²S            \(fmt(covariance.logDeterminant))")
        print("action S[x*]          \(fmt(value.total))  (\(iterations) Newton iterations)")
        JSONOutput.printWarnings(JSONOutput.warnings(for: report))
    }
}

extension PathCovarianceCommand: ProvenanceDescribing {
    var provenanceParameters: ProvenanceParameters { .init(dt: grid.timeStep, units: PathSpaceUnits.text) }
}
