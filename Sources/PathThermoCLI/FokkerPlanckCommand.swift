import ArgumentParser

// SKELETON (issue 15): owned by the fp-cli helper, who replaces this file.

/// `paththermo fokker-planck`.
struct FokkerPlanckCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "fokker-planck", abstract: "(issue 15, in progress)")

    func run() throws { throw CLIError("fokker-planck: not built yet") }
}
