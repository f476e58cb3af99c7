import ArgumentParser
import ArrayIO
import Dynamics
import LinearAlgebra
import PathSpace
import WorldModel

/// The drift of the commands that take one as a formula (`action`, `instanton`, `plan`, `path-covariance`,
/// `fokker-planck`, `cycle-work`, `jacobian`): the drift flags of `simulate` (`--family linear|softmax`, `--drift B`,
/// `--w`, `--keys`, `--beta`, `--leak`) plus `--model model.json`, the drift of a world model trained by
/// `paththermo train` (``AttentionWorldModel/init(contentsOfFile:)``). `--model` excludes the other drift flags.
///
/// The commands are generic over the drift type: ``load()`` returns an existential that each command opens by
/// passing it to its own generic function (`compute<F: DifferentiableDrift>(_:)`), as `simulate` dispatches by
/// family.
struct DriftOptions: ParsableArguments {
    @Option(help: "Drift family: linear (the default) or softmax.")
    var family: SimulateCommand.DriftKind?

    @Option(help: "Drift matrix B of the linear family (JSON literal, .npy or .json).")
    var drift: String?

    @Option(help: "Query–key score matrix W, d × d (softmax drift).")
    var w: String?

    @Option(help: "Keys K, M × d, one memory slot per row (softmax drift).")
    var keys: String?

    @Option(help: "Inverse temperature β > 0 (softmax drift).")
    var beta: Double?

    @Option(help: "Leak λ of the relaxation term −λx (softmax drift; default 1).")
    var leak: Double?

    @Option(help: "A trained world model (model.json of `paththermo train`): its softmax-attention drift. Excludes the other drift options.")
    var model: String?

    /// The drift family (`--family`, linear by default).
    var kind: SimulateCommand.DriftKind { family ?? .linear }

    /// The drift these options name, checked (shapes, finiteness, domains) with one-line errors.
    func load() throws -> any DifferentiableDrift {
        do {
            if let model {
                guard family == nil, drift == nil, w == nil, keys == nil, beta == nil, leak == nil else {
                    throw CLIError("--model takes the drift from the model file; drop --family, --drift, --w, --keys, --beta and --leak")
                }
                return try TrainCommand.loadModel(model).drift
            }
            switch kind {
            case .linear:
                guard w == nil, keys == nil, beta == nil, leak == nil else {
                    throw CLIError("--w, --keys, --beta and --leak belong to --family softmax; the linear drift takes --drift B")
                }
                guard let drift else { throw CLIError("the linear drift needs --drift B (the drift matrix), or --model FILE") }
                return try LinearDrift(matrix: MatrixOption.matrix(drift, option: "--drift"))
            case .softmax:
                guard drift == nil else { throw CLIError("--drift B belongs to --family linear; the softmax drift takes --w and --keys") }
                guard let w, let keys, let beta else { throw CLIError("--family softmax needs --w W, --keys K and --beta b") }
                let scores = try MatrixOption.matrix(w, option: "--w")
                let k = try MatrixOption.matrix(keys, option: "--keys")
                return try SoftmaxAttentionDrift(scores: scores, keys: k, beta: beta, leak: leak ?? 1)
            }
        } catch let error as DynamicsError {
            throw CLIError(error.description)
        } catch let error as ArrayIOError {
            throw CLIError(error.description)
        }
    }

    /// A label of the drift for reports: `linear`, `softmax` or `model`.
    var label: String { model != nil ? "model" : kind.rawValue }
}

/// The drift, diffusion and discretisation of the path-space commands (`action`, `instanton`, `plan`,
/// `path-covariance`): ``DriftOptions``, `--diffusion` and `--discretisation` of the action.
struct PathDriftOptions: ParsableArguments {
    @OptionGroup var source: DriftOptions

    @Option(help: "Diffusion: a scalar s > 0 (D = s·I) or a d × d symmetric positive-definite matrix (JSON literal, .npy or .json).")
    var diffusion: String

    @Option(help: "How the action is discretised: euler (Eq. 18: the kinetic term at the start of each step, the default) or midpoint (both terms at the midpoint).")
    var discretisation: PathDiscretisationChoice = .euler

    /// The drift these options name (``DriftOptions/load()``).
    func load() throws -> any DifferentiableDrift { try source.load() }

    /// A label of the drift for reports: `linear`, `softmax` or `model`.
    var label: String { source.label }

    /// The Onsager–Machlup action of drift `f` with `--diffusion` (which must match f's dimension).
    func action<F: DifferentiableDrift>(_ f: F) throws -> OnsagerMachlupAction<F> {
        let noise = try SimulateCommand.diffusionModel(diffusion, dimension: f.dimension)
        do {
            return try OnsagerMachlupAction(drift: f, diffusion: noise, discretisation: discretisation.discretisation)
        } catch {
            throw CLIError("--diffusion: \(error)")
        }
    }
}

/// `--discretisation euler|midpoint`: how the action is put on the time grid (``PathDiscretisation``).
enum PathDiscretisationChoice: String, ExpressibleByArgument, CaseIterable {
    case euler, midpoint

    var discretisation: PathDiscretisation { self == .euler ? .euler : .midpoint }
}
