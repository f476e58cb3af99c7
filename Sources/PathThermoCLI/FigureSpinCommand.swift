import ArgumentParser

/// `paththermo figure-spin` (issue 16; being built).
struct FigureSpinCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "figure-spin", abstract: "(being built: issue 16)", shouldDisplay: false)

    func run() throws { throw ValidationError("figure-spin is not built yet") }
}
