import Foundation
import Testing

@Suite("paththermo figure1")
struct Figure1CommandTests {
    /// A tiny run end to end: the data files, the PNG, and the JSON the table is made from.
    @Test func writesDataFilesAndPNG() throws {
        let dir = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let r = try runCLI(["figure1", "--quick", "--rollouts", "8", "--steps", "1001", "--bins", "10",
                            "--alphas", "0", "2", "--exact-grid", "32", "--out", dir.path, "--json"])
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

    /// `--s` as a matrix: the anisotropic run carries the Fokker–Planck references, a finite exact collapse for the
    /// softmax model and the floor split; a scalar `--s` and the same matrix s·I give the same configuration.
    @Test func anisotropicSymmetricPartRunsTheFloorSplit() throws {
        let dir = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let r = try runCLI(["figure1", "--quick", "--rollouts", "8", "--steps", "1001", "--bins", "10", "--alphas", "1",
                            "--s", "[[1,0],[0,0.5]]", "--exact-grid", "32", "--no-plot", "--out", dir.path, "--json"])
        #expect(r.status == 0, "\(r.stderr)")
        let j = try #require(r.json)
        let configuration = try #require(j["configuration"] as? [String: Any])
        #expect(configuration["symmetricPart"] as? [[Double]] == [[1, 0], [0, 0.5]])
        let sweep = try #require(j["sweep"] as? [[String: Any]])
        let softmax = try #require(sweep.first { $0["model"] as? String == "softmax" })
        let collapse = try #require(softmax["exact_collapse"] as? [String: Any])
        #expect((collapse["factor"] as? Double ?? 0) > 1)
        let linear = try #require(sweep.first { $0["model"] as? String == "linear" })
        let linearCollapse = try #require(linear["exact_collapse"] as? [String: Any])
        #expect(linearCollapse["factor"] == nil || linearCollapse["factor"] is NSNull)
        let split = try #require(j["floor_split"] as? [String: Any])
        #expect((split["points"] as? [Any])?.count == 6)
        #expect((split["fit"] as? [String: Any])?["intercept_stderr"] is Double)

        let scalar = try runCLI(["figure1", "--quick", "--rollouts", "8", "--steps", "1001", "--bins", "10", "--alphas", "1",
                                 "--s", "2", "--exact-grid", "0", "--no-plot", "--out", dir.path + "/a", "--json"])
        let matrix = try runCLI(["figure1", "--quick", "--rollouts", "8", "--steps", "1001", "--bins", "10", "--alphas", "1",
                                 "--s", "[[2,0],[0,2]]", "--exact-grid", "0", "--no-plot", "--out", dir.path + "/b", "--json"])
        let a = try #require(scalar.json?["configuration"] as? [String: Any])
        let b = try #require(matrix.json?["configuration"] as? [String: Any])
        #expect(a["s"] as? Double == 2 && b["s"] as? Double == 2 && a["symmetricPart"] == nil && b["symmetricPart"] == nil)
    }

    @Test(arguments: [(["--s", "[[1,2],[0,1]]"], "symmetric"), (["--s", "[1,2]"], "--s"),
                      (["--s", "[[1,0],[0,-1]]"], "positive definite"), (["--exact-grid", "8"], "grid")])
    func badSymmetricPartOrGridIsOneLine(_ args: [String], _ mentions: String) throws {
        let r = try runCLI(["figure1", "--quick", "--no-plot", "--out", "/tmp/paththermo-never-written"] + args)
        PathSpaceCommandTests.expectOneLineError(r, mentions: mentions, "\(args)")
    }
}
