import ArgumentParser
import Dynamics
import LinearAlgebra

/// `paththermo jacobian`: the drift Jacobian at a point, its antisymmetric part and, for softmax attention, the
/// split of Eq. 22 of arXiv:2606.28751 into the commutator and anticommutator terms, the divergence of Eq. 20 and a
/// finite-difference check (docs/theory/odd-work.md §3). Logic: ``JacobianSplit`` (Dynamics).
struct JacobianCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "jacobian",
        abstract: "The drift Jacobian at a point and the split J_A = (β/2)[C, W_S] − (β/2){C, W_A} of Eq. 22.",
        discussion: """
            F = ∇f(x) (analytic), F_S, J_A = (F − Fᵀ)/2. For softmax attention f = Σ a_m k_m − λx (values tied to \
            keys): F = βCWᵀ − λI, commutator_term = (β/2)[C, W_S] and anticommutator_term = −(β/2){C, W_A} (signed as \
            in J_A, so they sum to it), divergence = β tr Cov_a(v, Wk) − λd (Eq. 20). For a linear drift both terms \
            are null (see note). residual = max |F − F_fd| against a Ridders-extrapolated central difference; \
            split_residual = max |J_A − (commutator_term + anticommutator_term)|. --symmetrize first applies W → W_S \
            (B → B_S): the anticommutator term is then exactly zero. Drifts as in simulate, or --model model.json.
            """
    )

    @OptionGroup var source: DriftOptions

    @Option(help: "The point x: comma-separated (0.5,-1) or a JSON list.")
    var at: String

    @Flag(help: "Apply the intervention W → W_S = (W + Wᵀ)/2 (B → B_S for a linear drift) first.")
    var symmetrize = false

    @Flag(help: "Print one JSON object instead of a report.")
    var json = false

    struct Report: Encodable {
        let drift: String
        let symmetrized: Bool
        let dimension: Int
        let point: [Double]
        let jacobian: [[Double]]
        let symmetric: [[Double]]
        let antisymmetric: [[Double]]
        let commutator_term: [[Double]]?
        let anticommutator_term: [[Double]]?
        let key_covariance: [[Double]]?
        let divergence: Double
        let trace: Double
        let residual: Double
        let finite_difference_error_estimate: Double
        let split_residual: Double?
        let note: String?

        enum CodingKeys: String, CodingKey {
            case drift, symmetrized, dimension, point, jacobian, symmetric, antisymmetric, commutator_term,
                 anticommutator_term, key_covariance, divergence, trace, residual, finite_difference_error_estimate,
                 split_residual, note
        }

        /// Every key always present: the attention-only terms as `null` for other drifts (with `note` saying why).
        func encode(to encoder: Encoder) throws {
            var c = encoder.container(keyedBy: CodingKeys.self)
            try c.encode(drift, forKey: .drift)
            try c.encode(symmetrized, forKey: .symmetrized)
            try c.encode(dimension, forKey: .dimension)
            try c.encode(point, forKey: .point)
            try c.encode(jacobian, forKey: .jacobian)
            try c.encode(symmetric, forKey: .symmetric)
            try c.encode(antisymmetric, forKey: .antisymmetric)
            try c.encode(commutator_term, forKey: .commutator_term)
            try c.encode(anticommutator_term, forKey: .anticommutator_term)
            try c.encode(key_covariance, forKey: .key_covariance)
            try c.encode(divergence, forKey: .divergence)
            try c.encode(trace, forKey: .trace)
            try c.encode(residual, forKey: .residual)
            try c.encode(finite_difference_error_estimate, forKey: .finite_difference_error_estimate)
            try c.encode(split_residual, forKey: .split_residual)
            try c.encode(note, forKey: .note)
        }
    }

    func run() throws {
        var f = try source.load()
        if symmetrize {
            guard let s = JacobianSplit.symmetrized(f) else {
                throw CLIError("--symmetrize needs a linear (B → B_S) or softmax-attention (W → W_S) drift")
            }
            f = s
        }
        try compute(f)
    }

    func compute<F: DifferentiableDrift>(_ f: F) throws {
        let x = try CycleWorkCommand.numbers(at, option: "--at")
        guard x.count == f.dimension else {
            throw CLIError("--at: expected \(f.dimension) numbers (the drift has d = \(f.dimension)), got \(x.count)")
        }
        let split: JacobianSplit
        do { split = try JacobianSplit(of: f, at: x) } catch { throw CLIError("\(error)") }
        let report = Report(
            drift: source.label, symmetrized: symmetrize, dimension: f.dimension, point: x, jacobian: split.jacobian.json,
            symmetric: split.symmetric.json, antisymmetric: split.antisymmetric.json,
            commutator_term: split.commutatorTerm?.json, anticommutator_term: split.anticommutatorTerm?.json,
            key_covariance: split.keyCovariance?.json, divergence: split.divergence, trace: split.jacobian.trace,
            residual: split.finiteDifferenceResidual, finite_difference_error_estimate: split.reference.errorEstimate,
            split_residual: split.splitResidual, note: split.note)
        if json { return try JSONOutput.print(report) }
        func rows(_ m: Matrix) -> String { m.json.map(fmtPoint).joined(separator: ", ") }
        print("point                 \(fmtPoint(x))  (\(source.label) drift\(symmetrize ? ", symmetrized" : ""), d = \(f.dimension))")
        print("jacobian F            \(rows(split.jacobian))")
        print("antisymmetric J_A     \(rows(split.antisymmetric))")
        if let c = split.commutatorTerm, let a = split.anticommutatorTerm {
            print("(β/2)[C, W_S]         \(rows(c))")
            print("−(β/2){C, W_A}        \(rows(a))")
            print("split residual        \(fmt(split.splitResidual ?? .nan))")
        }
        print("divergence ∇·f        \(fmt(split.divergence))  (tr F \(fmt(split.jacobian.trace)))")
        print("residual |F − F_fd|   \(fmt(split.finiteDifferenceResidual))  (Ridders error estimate \(fmt(split.reference.errorEstimate)))")
        if let note = split.note { print("note                  \(note)") }
        JSONOutput.printWarnings(JSONOutput.warnings(for: report))
    }
}
