import ArgumentParser

/// `paththermo`: the command-line front end. Every subcommand prints a human-readable report, or with
/// `--json` one JSON object on stdout. Errors are one line on stderr and a non-zero exit status.
@main
struct PathThermoCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "paththermo",
        abstract: "Irreversibility of predictive models, measured with stochastic thermodynamics.",
        subcommands: [
            ReproduceCommand.self, OUCommand.self, OUBatchCommand.self, LyapunovCommand.self, AsymmetryCommand.self,
            SimulateCommand.self, EstimateCommand.self, Figure1Command.self,
            TrainCommand.self, Figure2Command.self, Figure3Command.self,
            KalmanCommand.self, AREPCommand.self, FigureKalmanCommand.self, TextEPCommand.self, TextCompareCommand.self, TextSampleEPCommand.self,
        ]
    )

    static func main() { StartUp.prepare(); main(nil) }
}
