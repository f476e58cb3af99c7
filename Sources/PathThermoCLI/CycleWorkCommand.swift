import ArgumentParser

// SKELETON (issue 15): owned by the cycle helper, who replaces this file.

/// `paththermo cycle-work`.
struct CycleWorkCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "cycle-work", abstract: "(issue 15, in progress)")

    func run() throws { throw CLIError("cycle-work: not built yet") }
}
