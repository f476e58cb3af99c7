import ArgumentParser

/// `paththermo`: the command-line front end. Every subcommand prints a human-readable report, or with
/// `--json` one JSON object on stdout. Errors are one line on stderr (`paththermo: error: …`, see
/// ``ErrorLine``) and a non-zero exit status.
@main
struct PathThermoCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "paththermo",
        abstract: "Irreversibility of predictive models, measured with stochastic thermodynamics.",
        version: CommandProvenance.versionLine,
        subcommands: [
            ReproduceCommand.self, OUCommand.self, OUBatchCommand.self, LyapunovCommand.self, AsymmetryCommand.self,
            SimulateCommand.self, EstimateCommand.self, MeasureCommand.self, MergeCommand.self, Figure1Command.self,
            TrainCommand.self, Figure2Command.self, Figure3Command.self,
            Figure4Command.self,
            KalmanCommand.self, AREPCommand.self, FigureKalmanCommand.self, TextEPCommand.self, TextCompareCommand.self, TextSampleEPCommand.self,
            ActionCommand.self, InstantonCommand.self, PlanCommand.self, PathCovarianceCommand.self,
            FokkerPlanckCommand.self, CycleWorkCommand.self, JacobianCommand.self, LocalityCommand.self,
            HeadAsymmetryCommand.self, SpinEPCommand.self, IsingEPCommand.self, FigureSpinCommand.self,
            CompareScoresCommand.self,
            TextFluctuationCommand.self,
        ]
    )

    /// The entry point, replacing swift-argument-parser's `main()` for two things it does not do:
    /// negative numbers as option values (``NegativeOptionValues``, one rewrite for every subcommand)
    /// and every error — the parser's (unknown option, missing or malformed value, `ValidationError`) and
    /// the commands' own — as exactly one escaped line on stderr (``ErrorLine``). `--help` and
    /// `--version` (`paththermo 0.1.0 (fcc3377)`: ``CommandProvenance/versionLine``) print as before and exit 0.
    /// Once the arguments parse, the provenance of every JSON result is set (``CommandProvenance``).
    static func main() {
        StartUp.prepare()
        let arguments = NegativeOptionValues.rewrite(Array(CommandLine.arguments.dropFirst()), root: self)
        var command: ParsableCommand
        do {
            command = try parseAsRoot(arguments)
        } catch {
            ErrorLine.exit(with: error, duringParsing: true)
        }
        CommandProvenance.record(command)
        do {
            try command.run()
        } catch {
            ErrorLine.exit(with: error, duringParsing: false)
        }
    }
}
