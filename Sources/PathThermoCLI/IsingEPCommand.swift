import ArgumentParser

/// `paththermo ising-ep` (issue 16; being built).
struct IsingEPCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "ising-ep", abstract: "(being built: issue 16)", shouldDisplay: false)

    func run() throws { throw ValidationError("ising-ep is not built yet") }
}
