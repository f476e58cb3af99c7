import ArgumentParser

// SKELETON (issue 15): owned by the heads helper, who replaces this file.

/// `paththermo head-asymmetry`.
struct HeadAsymmetryCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "head-asymmetry", abstract: "(issue 15, in progress)")

    func run() throws { throw CLIError("head-asymmetry: not built yet") }
}
