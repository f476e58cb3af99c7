import ArgumentParser

/// `paththermo spin-ep` (issue 16; being built).
struct SpinEPCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "spin-ep", abstract: "(being built: issue 16)", shouldDisplay: false)

    func run() throws { throw ValidationError("spin-ep is not built yet") }
}
