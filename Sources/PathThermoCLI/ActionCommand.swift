import ArgumentParser
import Dynamics
import PathSpace

/// `paththermo action`: the Onsager–Machlup action of a given path, its time-reversal split and its path-wise
/// entropy production (Eqs. 6, 8, 9 and 18 of arXiv:2606.28751; docs/theory/path-space.md §§2–3, docs/theory/path-space-inference.md §2).
struct ActionCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "action",
        abstract: "The Onsager–Machlup action S[x] of a path, S_even, S_odd and the entropy production S[x̃] − S[x].",
        discussion: """
            S[x] = Σ_k [ r_kᵀ D⁻¹ r_k / (4Δt) + (Δt/2) ∇·f(x̄_k) ],  r_k = x_{k+1} − x_k − Δt f,  for \
            dx = f(x) dt + √(2D) dW (P[x] ∝ e^{−S[x]}); f at x_k (--discretisation euler, Eq. 18) or at the midpoint \
            x̄_k (midpoint). The path is an (n + 1) × d array (.npy float64 or float32, or a JSON literal) of states \
            --dt apart. Drifts as in simulate: [--family linear] --drift B, --family softmax --w W --keys K --beta b \
            [--leak l], or --model model.json (a world model from train).
            """
    )

    @OptionGroup var model: PathDriftOptions

    @Option(help: "Time step Δt > 0 between the states of the path.")
    var dt: Double

    @Option(help: "The path: an (n + 1) × d array, .npy (float64 or float32) or a JSON literal/.json.")
    var path: String

    @Flag(help: "Print one JSON object instead of a report.")
    var json = false

    @OptionGroup var resources: ResourceOptions

    func validate() throws {
        guard dt.isFinite, dt > 0 else { throw CLIError("--dt must be finite and > 0, got \(dt)") }
    }

    struct Report: Encodable {
        let drift: String
        let discretisation: String
        let dimension: Int
        let steps: Int
        let dt: Double
        let horizon: Double
        let action: Double
        let kinetic_action: Double
        let divergence_action: Double
        let action_even: Double
        let action_odd: Double
        let entropy_production: Double
    }

    func run() throws {
        try compute(try model.load())
    }

    func compute<F: DifferentiableDrift>(_ f: F) throws {
        let action = try model.action(f)
        let x = try PathInputs.path(path, dimension: f.dimension, timeStep: dt, resources: resources)
        try resources.check(PathSpaceMemory.plan("action", states: x.steps + 1, dimension: f.dimension))
        let value: ActionValue, sigma: Double
        do {
            value = try action.value(of: x)
            sigma = try action.entropyProduction(of: x)
        } catch {
            throw CLIError("\(error)")
        }
        let report = Report(drift: model.label, discretisation: model.discretisation.rawValue, dimension: x.dimension,
                            steps: x.steps, dt: dt, horizon: x.horizon, action: value.total, kinetic_action: value.kinetic,
                            divergence_action: value.divergence, action_even: value.even, action_odd: value.odd,
                            entropy_production: sigma)
        if json { return try JSONOutput.print(report) }
        print("path                  \(x.steps + 1) states × d = \(x.dimension), Δt \(fmt(dt)), T \(fmt(x.horizon))  (\(model.label) drift, \(model.discretisation.rawValue))")
        print("action S              \(fmt(value.total))  (kinetic \(fmt(value.kinetic)), divergence \(fmt(value.divergence)))")
        print("S_even, S_odd         \(fmt(value.even)), \(fmt(value.odd))")
        print("entropy production    \(fmt(sigma))  (S[x̃] − S[x])")
        JSONOutput.printWarnings(JSONOutput.warnings(for: report))
    }
}

extension ActionCommand: ProvenanceDescribing {
    var provenanceParameters: ProvenanceParameters { .init(dt: dt, units: PathSpaceUnits.text) }
}

/// The units of the path-space results, in words.
enum PathSpaceUnits {
    static let text = "actions and entropy production in nats (S = −ln of the path density up to a constant); time in the units of the drift"
}

/// A point for a person: `[1, -0.369978]`.
func fmtPoint(_ x: [Double]) -> String { "[" + x.map(fmt).joined(separator: ", ") + "]" }
