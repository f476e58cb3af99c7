import ArrayIO
import Foundation
import Testing
@testable import Estimators

/// Inputs with meaning: CSV columns chosen by name, time columns checked and dropped, time-like and
/// degenerate data refused (docs/theory/estimators.md §6; issue 12 item 2).
@Suite("Trajectory inputs: columns, time, degenerate data")
struct TrajectoryInputTests {
    /// 3 rollouts × 200 states of the d = 2 toy OU process at Δt = 0.01, as CSV with the columns
    /// `rollout,t,x,y` (t = k Δt printed with 10 significant digits) and the same values as (B, T, d).
    static func samples() throws -> (csv: String, values: [Double]) {
        let s = try OUSamples.toy(alpha: 1, rollouts: 3, states: 200, seed: 4)
        var csv = "rollout,t,x,y\n"
        for (r, states) in s.rollouts.enumerated() {
            for k in 0..<200 { csv += "\(r),\(String(format: "%.10g", Double(k) * 0.01)),\(states[2 * k]),\(states[2 * k + 1])\n" }
        }
        return (csv, s.rollouts.flatMap { $0 })
    }

    @Test func aTimeColumnIsRefusedByNameWithoutColumnsOrTimeColumn() throws {
        let (csv, _) = try Self.samples()
        #expect(throws: EstimatorError.timeLikeCoordinate(column: "'t'", byName: true, detail: "has a time-like name")) {
            try TrajectoryFile.parseCSV(csv)
        }
        for name in ["Time", "STEP"] {
            let renamed = csv.replacingOccurrences(of: "rollout,t,", with: "rollout,\(name),")
            #expect(throws: EstimatorError.timeLikeCoordinate(column: "'\(name)'", byName: true, detail: "has a time-like name")) {
                try TrajectoryFile.parseCSV(renamed)
            }
        }
        let message = EstimatorError.timeLikeCoordinate(column: "'t'", byName: true, detail: "has a time-like name").description
        #expect(message == "column 't' has a time-like name: it looks like a time or step counter, not a coordinate")
    }

    @Test func timeColumnOrColumnsGiveExactlyTheCoordinates() throws {
        let (csv, values) = try Self.samples()
        let timed = try TrajectoryFile.parseCSV(csv, options: .init(timeColumn: "t", timeStep: 0.01))
        let chosen = try TrajectoryFile.parseCSV(csv, options: .init(columns: ["x", "y"]))
        for data in [timed, chosen] {
            #expect(data.dimension == 2 && data.rollouts == 3 && data.pairCount == 3 * 199)
            #expect(data.values == values)
        }
        // Order follows --columns; names match case-insensitively.
        let swapped = try TrajectoryFile.parseCSV(csv, options: .init(columns: ["Y", "x"]))
        var yx: [Double] = []
        for i in stride(from: 0, to: values.count, by: 2) { yx += [values[i + 1], values[i]] }
        #expect(swapped.values == yx)
        // A named rollout column; the default name is then an ordinary (here: unused) column.
        let renamed = csv.replacingOccurrences(of: "rollout,t,", with: "run,t,")
        let run = try TrajectoryFile.parseCSV(renamed, options: .init(columns: ["x", "y"], rolloutColumn: "run"))
        #expect(run.rollouts == 3 && run.values == values)
        // A column constant within every rollout (a label, a parameter) is not a coordinate.
        #expect(throws: EstimatorError.degenerateData("coordinate 'p' never changes within a rollout: it carries no dynamics")) {
            try TrajectoryFile.parseCSV("rollout,p,x\na,1,0\na,1,2\na,1,1\nb,2,3\nb,2,1\n")
        }
        // Unselected columns need not be numbers.
        let labelled = "label,x,y\n" + (0..<40).map { "p\($0),\(values[2 * $0]),\(values[2 * $0 + 1])" }.joined(separator: "\n")
        #expect(try TrajectoryFile.parseCSV(labelled, options: .init(columns: ["x", "y"])).values == Array(values[0..<80]))
    }

    @Test func theTimeColumnIsChecked() throws {
        let (csv, _) = try Self.samples()
        // Δt disagrees: the first step (line 3) is named.
        #expect(throws: EstimatorError.malformedCSV(line: 3, detail: "column 2 ('t'): time step 0.01 differs from Δt = 0.02 (relative tolerance 0.001)")) {
            try TrajectoryFile.parseCSV(csv, options: .init(timeColumn: "t", timeStep: 0.02))
        }
        // Within 10⁻³ is accepted.
        #expect(throws: Never.self) { try TrajectoryFile.parseCSV(csv, options: .init(timeColumn: "t", timeStep: 0.010009)) }
        // Not increasing within a rollout; restarting at a new rollout is fine.
        #expect(throws: EstimatorError.malformedCSV(line: 4, detail: "column 1 ('t'): the time 0.1 does not increase (previous 0.2)")) {
            try TrajectoryFile.parseCSV("t,x\n0.1,1\n0.2,3\n0.1,2\n", options: .init(timeColumn: "t"))
        }
        let restarts = "rollout,t,x\na,0,1\na,1,2\na,2,0\nb,0,5\nb,1,4\nb,2,6\n"
        #expect(try TrajectoryFile.parseCSV(restarts, options: .init(timeColumn: "t", timeStep: 1)).segments.count == 2)
        // A NaN row splits the rollout; the step across it is not compared with Δt, and its time may be NaN.
        let gap = "t,x\n0,1\n1,2\n2,nan\n3,0\n4,2\n"
        #expect(try TrajectoryFile.parseCSV(gap, options: .init(timeColumn: "t", timeStep: 1)).segments.map(\.count) == [2, 2])
        let nanTime = "t,x\n0,1\n1,2\nnan,nan\n5,0\n6,2\n"
        #expect(try TrajectoryFile.parseCSV(nanTime, options: .init(timeColumn: "t", timeStep: 1)).segments.map(\.count) == [2, 2])
        #expect(throws: EstimatorError.malformedCSV(line: 3, detail: "column 1 ('t'): the time nan is not finite")) {
            try TrajectoryFile.parseCSV("t,x\n0,1\nnan,2\n", options: .init(timeColumn: "t"))
        }
    }

    @Test func columnNamesThatDoNotFit() throws {
        let header = "rollout,t,x,y\n0,0,1,2\n0,1,2,1\n"
        func error(_ options: TrajectoryFile.Options) -> EstimatorError? {
            do { _ = try TrajectoryFile.parseCSV(header, options: options) } catch let e as EstimatorError { return e } catch {}
            return nil
        }
        #expect(error(.init(columns: ["x", "z"])) == .malformedCSV(line: 1, detail: "no column named 'z' for the coordinates (header: rollout, t, x, y)"))
        #expect(error(.init(columns: ["x", "X"])) == .malformedCSV(line: 1, detail: "column 'x' is chosen twice"))
        #expect(error(.init(columns: ["x", "rollout"])) == .malformedCSV(line: 1, detail: "'rollout' is the rollout column, not a coordinate"))
        #expect(error(.init(columns: ["x"], timeColumn: "x")) == .malformedCSV(line: 1, detail: "'x' is the time column, not a coordinate"))
        #expect(error(.init(timeColumn: "rollout")) == .malformedCSV(line: 1, detail: "the time column is also the rollout column"))
        #expect(error(.init(rolloutColumn: "run")) == .malformedCSV(line: 1, detail: "no column named 'run' for the rollout ids (header: rollout, t, x, y)"))
        #expect(throws: EstimatorError.malformedCSV(line: 1, detail: "2 columns are named 'x'")) {
            try TrajectoryFile.parseCSV("x,X\n1,2\n2,1\n", options: .init(columns: ["x"]))
        }
        #expect(throws: EstimatorError.malformedCSV(line: 1, detail: "columns are chosen by name, but the file has no header line")) {
            try TrajectoryFile.parseCSV("1,2\n2,1\n", options: .init(columns: ["x"]))
        }
        #expect(throws: EstimatorError.invalidArgument("columns are chosen by name only in a CSV file with a header (a .npy has no column names)")) {
            try TrajectoryFile.data(from: try NPYArray(shape: [3, 1], values: [1, 2, 1]), options: .init(timeColumn: "t"))
        }
    }

    /// Every coordinate field is read whole: a NUL byte (or any garbage) after the digits is an error
    /// naming the line and the column, never a silent truncation.
    @Test func csvNumbersAreReadWhole() throws {
        #expect(throws: EstimatorError.malformedCSV(line: 3, detail: "column 1 ('x'): '1.5\\x007' is not a number")) {
            try TrajectoryFile.parseCSV("x,y\n1,2\n1.5\u{0}7,3\n")
        }
        #expect(throws: EstimatorError.malformedCSV(line: 2, detail: "column 2: '0x10' is not a number")) { try TrajectoryFile.parseCSV("1,2\n3,0x10\n") }
        #expect(throws: EstimatorError.malformedCSV(line: 2, detail: "column 2: '1_000' is not a number")) { try TrajectoryFile.parseCSV("1,2\n3,1_000\n") }
        #expect(throws: EstimatorError.malformedCSV(line: 2, detail: "column 2: '' is not a number")) { try TrajectoryFile.parseCSV("1,2\n3,\n") }
        #expect(throws: EstimatorError.malformedCSV(line: 2, detail: "column 1: '2\\x1b[2J' is not a number")) { try TrajectoryFile.parseCSV("1,2\n2\u{1B}[2J,3\n") }
        for (field, value) in [("-1.5", -1.5), (".5", 0.5), ("5.", 5), ("+4", 4), ("2E-3", 2e-3), ("-INF", -Double.infinity), ("Infinity", .infinity)] {
            #expect(CSVNumber.parse(field) == value, "\(field)")
        }
        #expect(CSVNumber.parse("NaN")?.isNaN == true && CSVNumber.parse("-nan")?.isNaN == true)
        for bad in ["", "e", "1e", "1.2.3", "nan1", "1 2", "٣"] { #expect(CSVNumber.parse(bad) == nil, "\(bad)") }
    }

    @Test func monotoneCoordinatesAreRefusedUnlessAllowed() throws {
        let (csv, values) = try Self.samples()
        let clock = csv.replacingOccurrences(of: "rollout,t,", with: "rollout,clock,")
        #expect(throws: EstimatorError.timeLikeCoordinate(column: "'clock'", byName: false, detail: "is strictly increasing along every rollout")) {
            try TrajectoryFile.parseCSV(clock)
        }
        #expect(try TrajectoryFile.parseCSV(clock, options: .init(allowMonotone: true)).dimension == 3)
        #expect(try TrajectoryFile.parseCSV(clock, options: .init(timeColumn: "clock", timeStep: 0.01)).values == values)
        // The same in an array: (B, T, 3) with a step counter (decreasing here) as coordinate 2.
        var withCounter: [Double] = []
        for k in 0..<(3 * 200) { withCounter += [values[2 * k], values[2 * k + 1], Double(200 - k % 200)] }
        let array = try NPYArray(shape: [3, 200, 3], values: withCounter)
        #expect(throws: EstimatorError.timeLikeCoordinate(column: "2", byName: false, detail: "is strictly decreasing along every rollout")) {
            try TrajectoryFile.data(from: array)
        }
        #expect(try TrajectoryFile.data(from: array, options: .init(allowMonotone: true)).dimension == 3)
        // The OU coordinates themselves are never monotone; short runs are not evidence (Σ(n − 2) < 30).
        #expect(try TrajectoryFile.data(from: try NPYArray(shape: [3, 200, 2], values: values)).monotoneCoordinates().isEmpty)
        let short = try TrajectoryData(dimension: 1, rollouts: Array(repeating: (0..<5).map(Double.init), count: 9))
        #expect(short.monotoneCoordinates().isEmpty)   // Σ(n − 2) = 27 < 30
        let enough = try TrajectoryData(dimension: 1, rollouts: Array(repeating: (0..<5).map(Double.init), count: 10))
        #expect(enough.monotoneCoordinates().map(\.coordinate) == [0])
    }

    /// What an interrupted `simulate --out` leaves: full-size `.npy` whose unfinished rollouts (or
    /// their ends) read as zeros.
    @Test func zeroPaddedAndConstantRolloutsAreRefusedByName() throws {
        let s = try OUSamples.toy(alpha: 1, rollouts: 8, states: 100, seed: 5)
        var values = s.rollouts.flatMap { $0 }
        for i in (5 * 200)..<(8 * 200) { values[i] = 0 }          // rollouts 5–7 never started
        for i in (3 * 200 + 120)..<(4 * 200) { values[i] = 0 }    // rollout 3 stopped after 60 of 100 states
        let partial = try NPYArray(shape: [8, 100, 2], values: values)
        #expect(throws: EstimatorError.degenerateData("rollouts 5–7 (3 of 8) are entirely zero; rollout 3 ends in 40 all-zero states: "
                                                       + "the file looks unfinished (zero-padded), e.g. from an interrupted simulation")) {
            try TrajectoryFile.data(from: partial)
        }
        var one = s.rollouts.flatMap { $0 }
        for i in (6 * 200)..<(7 * 200) { one[i] = 0 }
        #expect(throws: EstimatorError.degenerateData("rollout 6 (1 of 8) is entirely zero: "
                                                       + "the file looks unfinished (zero-padded), e.g. from an interrupted simulation")) {
            try TrajectoryFile.data(from: try NPYArray(shape: [8, 100, 2], values: one))
        }
        // A constant (non-zero) rollout, named by its CSV id.
        let csv = "rollout,x,y\na,1,2\na,2,1\na,0,3\nb,5,5\nb,5,5\nb,nan,nan\nb,5,5\nb,5,5\n"
        #expect(throws: EstimatorError.degenerateData("rollout 'b' (1 of 2) is constant (every state equals the first)")) {
            try TrajectoryFile.parseCSV(csv)
        }
        // A coordinate that never moves.
        #expect(throws: EstimatorError.degenerateData("coordinate 1 never changes within a rollout: it carries no dynamics")) {
            try TrajectoryFile.data(from: try NPYArray(shape: [4, 2], values: [1, 7, 2, 7, 0, 7, 3, 7]))
        }
        // A single zero state at the end is not a padded tail.
        var last = s.rollouts.flatMap { $0 }
        last[199] = 0; last[198] = 0
        #expect(try TrajectoryFile.data(from: try NPYArray(shape: [8, 100, 2], values: last)).rollouts == 8)
    }

    @Test func emptyInputsAreRefused() throws {
        #expect(throws: EstimatorError.malformedCSV(line: 1, detail: "no data rows")) { try TrajectoryFile.parseCSV("") }
        #expect(throws: EstimatorError.malformedCSV(line: 3, detail: "no data rows")) { try TrajectoryFile.parseCSV("x,y\n# only a comment\n") }
        #expect(throws: EstimatorError.invalidShape([0, 5, 2], "empty dimension or no rollouts")) {
            try TrajectoryFile.data(from: try NPYArray(shape: [0, 5, 2], values: []))
        }
        #expect(throws: EstimatorError.tooFewSamples(needed: 2, found: 0)) { try TrajectoryFile.parseCSV("x\nnan\nnan\n") }
    }

    @Test func rolloutListsAreShort() {
        #expect(TrajectoryData.list([0, 1, 2, 5, 7, 8], of: 20, name: nil) == "rollouts 0–2, 5, 7–8 (6 of 20)")
        #expect(TrajectoryData.list(Array(stride(from: 0, to: 40, by: 2)), of: 40, name: nil)
                == "rollouts 0, 2, 4, 6, 8, 10, 12, 14, … (20 of 40)")
        #expect(TrajectoryData.list([3], of: 4, name: { "'r\($0)'" }) == "rollout 'r3' (1 of 4)")
    }
}
