import Foundation
import Testing

@Suite("paththermo figure1")
struct Figure1CommandTests {
    /// A tiny run end to end: the data files, the PNG, and the JSON the table is made from.
    @Test func writesDataFilesAndPNG() throws {
        let dir = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let r = try runCLI(["figure1", "--quick", "--rollouts", "8", "--steps", "1001", "--bins", "10",
                            "--alphas", "0", "2", "--out", dir.path, "--json"])
        #expect(r.status == 0, "\(r.stderr)")
        let j = try #require(r.json)
        let sweep = try #require(j["sweep"] as? [[String: Any]])
        #expect(sweep.count == 4)  // 2 models × 2 values of α
        #expect(j["complete"] as? Bool == true)
        for name in ["figure1.json", "figure1-sweep.csv", "figure1-resolution.csv", "figure1-currents.csv", "plot_figure1.py"] {
            #expect(FileManager.default.fileExists(atPath: dir.appendingPathComponent(name).path), "\(name)")
        }
        let png = try Data(contentsOf: dir.appendingPathComponent("figure1.png"))
        #expect(Array(png.prefix(4)) == [0x89, 0x50, 0x4E, 0x47])
    }
}
