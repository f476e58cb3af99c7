import ArgumentParser

// SKELETON (issue 15): owned by the locality helper, who replaces this file.

/// `paththermo locality`.
struct LocalityCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "locality", abstract: "(issue 15, in progress)")

    func run() throws { throw CLIError("locality: not built yet") }
}
