import Dispatch
import Dynamics
import PathSpace
import Parallel
import ResourceLimits

/// Figure 4 of the paper, path-space inference (see ``Figure4Configuration``): (a) instanton vs rollout of the
/// softmax toy and the O(D) departure, (b) plans on the linear drift and on a trained world model (W vs W_S),
/// (c) the predictive variance of x(T) three ways, (d) the conserved E along the instanton.
public struct Figure4Experiment: Sendable {
    public let configuration: Figure4Configuration

    /// Validates the configuration and checks its memory plan (``Figure4Configuration/memoryPlan()``) against `budget`.
    public init(_ configuration: Figure4Configuration, budget: MemoryBudget = .standard) throws {
        try configuration.validate()
        try budget.check(configuration.memoryPlan())
        self.configuration = configuration
    }

    /// Runs the four panels; `checkpoint` gets the partial result after each, `progress` (made for
    /// ``totalUnits``) advances by one per training step of the world model.
    public func run(progress: ProgressReporter? = nil, checkpoint: (Figure4Result) throws -> Void = { _ in }) throws -> Figure4Result {
        defer { progress?.finish() }
        let start = DispatchTime.now().uptimeNanoseconds
        func elapsed() -> Double { Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9 }
        var result = Figure4Result(configuration: configuration)
        result.instantons = try instantonPanel()
        result.seconds = elapsed()
        try checkpoint(result)
        result.energy = try energyPanel()
        result.seconds = elapsed()
        try checkpoint(result)
        result.plans = try planPanel(progress: progress)
        result.seconds = elapsed()
        try checkpoint(result)
        result.covariance = try covariancePanel()
        result.seconds = elapsed()
        result.complete = true
        try checkpoint(result)
        return result
    }

    /// Units of ``run(progress:checkpoint:)``'s progress: the training steps.
    public var totalUnits: Int { configuration.setup.training.steps }

    /// The action of `drift` with isotropic diffusion D and the given (default: the configured) discretisation.
    func action<F: DifferentiableDrift>(_ drift: F, diffusion: Double,
                                        discretisation: PathDiscretisation? = nil) throws -> OnsagerMachlupAction<F> {
        try OnsagerMachlupAction(drift: drift, diffusion: Diffusion.isotropic(diffusion),
                                 discretisation: discretisation ?? configuration.discretisation)
    }

    /// The rows x_0 … x_n of a path.
    static func rows(_ path: DiscretePath) -> [[Double]] { (0...path.steps).map { path.state($0) } }
}
