import ArgumentParser

// SKELETON (issue 15): owned by the jacobian helper, who replaces this file.

/// `paththermo jacobian`.
struct JacobianCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "jacobian", abstract: "(issue 15, in progress)")

    func run() throws { throw CLIError("jacobian: not built yet") }
}
