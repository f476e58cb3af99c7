import ArgumentParser
import LinearAlgebra
import Thermodynamics

/// `paththermo asymmetry`: the attention query–key asymmetry index of a matrix.
struct AsymmetryCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "asymmetry",
        abstract: "Attention query-key asymmetry index ||W_A||_F / ||W||_F (paper Eq. 30)."
    )

    @Option(help: "Square matrix W (JSON literal, .npy or .json).")
    var matrix: String

    @Flag(help: "Print one JSON object instead of a report.")
    var json = false

    struct Report: Encodable { let asymmetry_index: Double }

    func run() throws {
        let w = try MatrixOption.matrix(matrix, option: "--matrix")
        let eta = try attentionAsymmetryIndex(w)  // scale-safe: finite for any finite, non-empty square W
        if json { return try JSONOutput.print(Report(asymmetry_index: eta)) }
        print("asymmetry index   \(fmt(eta))")
        JSONOutput.printWarnings(JSONOutput.warnings(for: Report(asymmetry_index: eta)))
    }
}
