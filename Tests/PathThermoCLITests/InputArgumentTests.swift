import Foundation
import Testing

/// Arguments and files with meaning (issue 12): matrix options that name files by relative paths,
/// CSV columns by name, time columns, and degenerate or damaged input. Each case is either a
/// correct finite answer or one line on stderr with a non-zero status.
@Suite("paththermo inputs")
struct InputArgumentTests {
    /// Runs and checks "one line, non-zero status, no signal, mentions every needle".
    func expectOneLineError(_ arguments: [String], mentions needles: [String], directory: URL? = nil,
                            sourceLocation: SourceLocation = #_sourceLocation) throws {
        let r = try runCLI(arguments, directory: directory)
        #expect(!r.crashed && r.status != 0, "\(arguments)", sourceLocation: sourceLocation)
        #expect(r.stderr.split(separator: "\n").count == 1, "\(arguments): \(r.stderr)", sourceLocation: sourceLocation)
        for needle in needles { #expect(r.stderr.contains(needle), "\(arguments): \(r.stderr)", sourceLocation: sourceLocation) }
    }

    /// `lyapunov --a ./A.npy`, `ou --drift 2x2_drift.npy`, `simulate --matrix ./B.npy` in the
    /// working directory: once "malformed JSON: invalid number '.' at offset 0".
    @Test func matrixFilesByRelativePath() throws {
        let dir = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let b: [Double] = [-1, 2, -2, -1]   // B = −(I − 2 R90): σ = 2ω²/γ = 8
        for name in ["A.npy", "2x2_drift.npy", "B.npy"] {
            try EstimateCommandTests.writeNPY(b, shape: [2, 2], to: dir.appendingPathComponent(name))
        }
        let lyapunov = try runCLI(["lyapunov", "--a", "./A.npy", "--q", "[[1,0],[0,1]]", "--json"], directory: dir)
        #expect(lyapunov.status == 0, "\(lyapunov.stderr)")
        #expect((lyapunov.json?["residual"] as? Double).map { $0 < 1e-14 } == true)
        for drift in ["2x2_drift.npy", "./2x2_drift.npy", dir.appendingPathComponent("2x2_drift.npy").path] {
            let ou = try runCLI(["ou", "--drift", drift, "--json"], directory: dir)
            #expect(ou.status == 0, "\(ou.stderr)")
            #expect((ou.json?["entropy_production_rate"] as? Double).map { abs($0 - 8) < 1e-12 } == true, "\(drift)")
        }
        let simulate = try runCLI(["simulate", "--drift", "linear", "--matrix", "./B.npy", "--rollouts", "2", "--steps", "10",
                                   "--dt", "0.01", "--diffusion", "0.5", "--seed", "1", "--json"], directory: dir)
        #expect(simulate.status == 0, "\(simulate.stderr)")
        // Literals that start like paths still parse.
        let literal = try runCLI(["asymmetry", "--matrix", "[[1,2],[3,4]]", "--json"], directory: dir)
        #expect(literal.status == 0, "\(literal.stderr)")
    }

    @Test(arguments: ["./missing.npy", "2x2_missing.npy", ".missing.json", "missing", "[missing].npy", "../missing.npy"])
    func missingMatrixFilesSayNoSuchFile(path: String) throws {
        let dir = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        try expectOneLineError(["ou", "--drift", path], mentions: ["--drift: no such file: \(path)"], directory: dir)
    }

    @Test func aDirectoryOrAMalformedLiteralIsNamed() throws {
        let dir = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        try FileManager.default.createDirectory(at: dir.appendingPathComponent("sub.npy"), withIntermediateDirectories: false)
        try expectOneLineError(["ou", "--drift", "sub.npy"], mentions: ["sub.npy: it is a directory"], directory: dir)
        try expectOneLineError(["ou", "--drift", "."], mentions: ["it is a directory"], directory: dir)
        try expectOneLineError(["ou", "--drift", "[[1,2],[3]]"], mentions: ["ragged JSON"], directory: dir)
    }

    /// Control bytes in a damaged `.npy` header are printed escaped, never raw.
    @Test func controlBytesFromADamagedHeaderAreEscaped() throws {
        let dir = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        var header = "{'descr': '\u{1}\u{1B}[2J\u{7}', 'fortran_order': False, 'shape': (2, 2), }"
        while (10 + header.utf8.count + 1) % 64 != 0 { header += " " }
        header += "\n"
        let bytes: [UInt8] = [0x93] + Array("NUMPY".utf8) + [1, 0, UInt8(header.utf8.count), 0] + Array(header.utf8)
            + [UInt8](repeating: 0, count: 32)
        let path = dir.appendingPathComponent("damaged.npy")
        try Data(bytes).write(to: path)
        let r = try runCLI(["ou", "--drift", path.path])
        #expect(!r.crashed && r.status != 0)
        #expect(r.stderr.hasSuffix("\n") && !r.stderr.dropLast().unicodeScalars.contains { $0.value < 0x20 || $0.value == 0x7F },
                "\(r.stderr.debugDescription)")
        #expect(r.stderr.contains("\\x01\\x1b[2J\\x07"), "\(r.stderr.debugDescription)")
    }

    /// The CSV layouts of one data set: rollout id, time, x, y; σ = 2α² = 2.
    static func csv(timeName: String = "t", rows: Int = 2_000, rollouts: Int = 4, withTime: Bool = true) -> String {
        let v = EstimateCommandTests.samples(rollouts: rollouts, states: rows, seed: 7)
        var text = "rollout," + (withTime ? "\(timeName)," : "") + "x,y\n"
        for r in 0..<rollouts {
            for k in 0..<rows {
                let i = (r * rows + k) * 2
                text += "\(r)," + (withTime ? String(format: "%.10g,", Double(k) * 0.01) : "") + "\(v[i]),\(v[i + 1])\n"
            }
        }
        return text
    }

    /// A CSV `rollout,t,x,y` once gave σ̂ ≈ 7·10¹⁷ with exit 0 (t taken as a coordinate). Now it is
    /// refused with the flag to use, and with `--time-column t` or `--columns x,y` the estimate is
    /// exactly that of the file without the t column.
    @Test func csvWithATimeColumn() throws {
        let dir = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let timed = dir.appendingPathComponent("timed.csv"), plain = dir.appendingPathComponent("plain.csv")
        let clock = dir.appendingPathComponent("clock.csv")
        try Data(Self.csv().utf8).write(to: timed)
        try Data(Self.csv(withTime: false).utf8).write(to: plain)
        try Data(Self.csv(timeName: "clock").utf8).write(to: clock)
        let base = ["estimate", "--dt", "0.01", "--method", "basis", "--json", "--trajectories"]
        try expectOneLineError(base + [timed.path], mentions: ["column 't'", "--time-column t", "--columns"])
        try expectOneLineError(base + [clock.path], mentions: ["column 'clock'", "strictly increasing", "--time-column clock", "--allow-monotone"])
        let reference = try #require(try runCLI(base + [plain.path]).json)
        let debiased = try #require(reference["debiased"] as? Double), stderr = try #require(reference["stderr"] as? Double)
        #expect(abs(debiased - 2) < max(4 * stderr, 0.2), "σ̂ \(debiased) ± \(stderr)")
        for extra in [["--time-column", "t"], ["--columns", "x,y"]] {
            let r = try runCLI(base + [timed.path] + extra)
            #expect(r.status == 0, "\(extra): \(r.stderr)")
            let j = try #require(r.json)
            for key in ["entropy_production_rate", "debiased", "stderr", "diffusion", "samples_used"] {
                #expect((j[key] as? Double) == (reference[key] as? Double), "\(extra) \(key)")
            }
        }
        let c = try runCLI(base + [clock.path, "--time-column", "clock"])
        #expect((c.json?["debiased"] as? Double) == debiased, "\(c.stderr)")
        try expectOneLineError(base + [timed.path, "--time-column", "t", "--dt", "0.02"], mentions: ["line 3", "differs from Δt = 0.02"])
        try expectOneLineError(base + [timed.path, "--columns", "x,z"], mentions: ["no column named 'z'"])
        try expectOneLineError(base + [timed.path, "--time-column", "time"], mentions: ["no column named 'time'"])
    }

    @Test func garbageInsideACSVNumberIsAnError() throws {
        let dir = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        var bytes = Array(Self.csv(rows: 50, rollouts: 1, withTime: false).utf8)
        let line3 = bytes.indices.filter { bytes[$0] == 0x0A }[1] + 1           // start of line 3
        let comma = try #require(bytes[line3...].firstIndex(of: UInt8(ascii: ",")))
        bytes.insert(0, at: comma + 3)                                          // a NUL inside x
        let path = dir.appendingPathComponent("nul.csv")
        try Data(bytes).write(to: path)
        try expectOneLineError(["estimate", "--trajectories", path.path, "--dt", "0.01", "--method", "basis"],
                               mentions: ["line 3", "column 2 ('x')", "\\x00", "is not a number"])
    }

    /// What an interrupted `simulate --out` leaves (unfinished rollouts read as zeros) and an array
    /// with a step counter as a coordinate.
    @Test func zeroPaddedAndTimeLikeArrays() throws {
        let dir = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        var v = EstimateCommandTests.samples(rollouts: 10, states: 1_000, seed: 8)
        for i in (7 * 2_000)..<(10 * 2_000) { v[i] = 0 }
        let partial = dir.appendingPathComponent("partial.npy")
        try EstimateCommandTests.writeNPY(v, shape: [10, 1_000, 2], to: partial)
        try expectOneLineError(["estimate", "--trajectories", partial.path, "--dt", "0.01"],
                               mentions: ["rollouts 7–9 (3 of 10) are entirely zero", "unfinished"])
        let w = EstimateCommandTests.samples(rollouts: 4, states: 1_000, seed: 9)
        var withStep: [Double] = []
        // Coordinate 0 is driven at speed 1 with little noise: strictly increasing, but a state.
        let noise = EstimateCommandTests.samples(rollouts: 4, states: 1_000, seed: 10)
        for k in 0..<4_000 { withStep += [0.01 * Double(k % 1_000) + 1e-3 * noise[2 * k], w[2 * k], w[2 * k + 1]] }
        let stepped = dir.appendingPathComponent("stepped.npy")
        try EstimateCommandTests.writeNPY(withStep, shape: [4, 1_000, 3], to: stepped)
        let args = ["estimate", "--trajectories", stepped.path, "--dt", "0.01", "--method", "basis", "--json"]
        try expectOneLineError(args, mentions: ["column 0 is strictly increasing", "--allow-monotone"])
        let allowed = try runCLI(args + ["--allow-monotone"])
        #expect(allowed.status == 0 && (allowed.json?["entropy_production_rate"] as? Double)?.isFinite == true, "\(allowed.stderr)")
        // A validation error (the argument parser may add its usage lines after the first).
        let npyColumns = try runCLI(args + ["--columns", "x,y"])
        #expect(!npyColumns.crashed && npyColumns.status != 0)
        #expect(npyColumns.stderr.split(separator: "\n").first?.contains("--columns, --rollout-column and --time-column need a CSV file") == true,
                "\(npyColumns.stderr)")
    }
}
