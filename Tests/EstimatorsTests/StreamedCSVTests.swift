import ArrayIO
import Foundation
import Testing
@testable import Estimators

/// CSV trajectories read in one streaming pass (`TrajectoryFile.loadCSV`: the file mapped and parsed line by line,
/// the values in a scratch file read in place) equal the string parser's (`parseCSV` on the file's text) bit for bit —
/// values, segments, every estimate — and fail with the same errors and line numbers; no scratch file is left.
@Suite struct StreamedCSVTests {
    static func folder() throws -> URL {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("pt-csv-\(getpid())-\(UInt32.random(in: 0...UInt32.max))")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        return url
    }

    /// Rotating-drift rollouts as CSV text with `rollout,t,x,y` columns, `nanRows` NaN separators, `breaks` as line
    /// breaks, comments and blank lines between rollouts.
    static func csv(rollouts: Int, steps: Int, breaks: String) -> String {
        let c = TrajectoryDataBorrowingTests.rotating(rollouts: rollouts, steps: steps)
        var text = "# trajectories" + breaks + "rollout,t,x,y" + breaks
        for r in 0..<rollouts {
            for k in 0..<steps {
                let i = (r * steps + k) * 2
                let nan = (r + k) % 97 == 13
                text += "r\(r),\(String(format: "%.10g", Double(k) * 0.02)),\(nan ? "nan" : "\(c[i])"),\(c[i + 1])" + breaks
            }
            text += breaks + "# next" + breaks
        }
        return text
    }

    @Test(arguments: ["\n", "\r\n", "\r"])
    func theStreamedFileEqualsTheParsedText(breaks: String) throws {
        let dir = try Self.folder()
        defer { try? FileManager.default.removeItem(at: dir) }
        for (name, text) in [("a.csv", Self.csv(rollouts: 5, steps: 300, breaks: breaks)),
                             ("tail.csv", String(Self.csv(rollouts: 2, steps: 150, breaks: breaks).dropLast(breaks.count)))] {
            let url = dir.appendingPathComponent(name)
            try text.write(to: url, atomically: true, encoding: .utf8)
            let options = TrajectoryFile.Options(timeColumn: "t", timeStep: 0.02)
            let streamed = try TrajectoryFile.loadCSV(path: url.path, options: options)
            guard case .mapped = streamed.storage else { Issue.record("the CSV values were not read in place"); return }
            let parsed = try TrajectoryFile.parseCSV(text, options: options)
            #expect(streamed.values == parsed.values && streamed.segments.map(\.count) == parsed.segments.map(\.count))
            #expect(streamed.segments.map(\.rollout) == parsed.segments.map(\.rollout))
            #expect(streamed.discardedStates == parsed.discardedStates && streamed.rollouts == parsed.rollouts)
            #expect(try TrajectoryDataBorrowingTests.estimates(streamed, dt: 0.02) == (try TrajectoryDataBorrowingTests.estimates(parsed, dt: 0.02)))
        }
        // Only the inputs remain: the scratch files are gone.
        #expect(try FileManager.default.contentsOfDirectory(atPath: dir.path).sorted() == ["a.csv", "tail.csv"])
    }

    @Test func errorsAndLineNumbersAreTheParsersErrors() throws {
        let dir = try Self.folder()
        defer { try? FileManager.default.removeItem(at: dir) }
        let good = "x,y\n0.1,0.2\n0.3,0.1\n0.2,0.5\n"
        for (name, text, options) in [
            ("fields", good + "1,2,3\n", TrajectoryFile.Options()),
            ("number", "x,y\r\n0.1,0.2\r\n0.3,zz\r\n", TrajectoryFile.Options()),
            ("inf", good + "inf,1\n", TrajectoryFile.Options()),
            ("order", "rollout,x\na,1\na,2\nb,3\nb,1\na,2\n", TrajectoryFile.Options()),
            ("time", "t,x\n0,1\n0.01,2\n0.03,1\n", TrajectoryFile.Options(timeColumn: "t", timeStep: 0.01)),
            ("empty", "x,y\n# nothing\n", TrajectoryFile.Options()),
            ("blank", "", TrajectoryFile.Options()),
            ("time-like", "rollout,t,x\na,0,1\na,1,2\na,2,0\n", TrajectoryFile.Options()),
            ("constant", "x\n1\n1\n1\n", TrajectoryFile.Options()),
        ] {
            let url = dir.appendingPathComponent(name + ".csv")
            try text.write(to: url, atomically: true, encoding: .utf8)
            let streamed = #expect(throws: EstimatorError.self, "\(name)") { try TrajectoryFile.loadCSV(path: url.path, options: options) }
            let parsed = #expect(throws: EstimatorError.self, "\(name)") { try TrajectoryFile.parseCSV(text, options: options) }
            #expect(streamed.map { "\($0)" } == parsed.map { "\($0)" }, "\(name)")
        }
        #expect(try FileManager.default.contentsOfDirectory(atPath: dir.path).allSatisfy { $0.hasSuffix(".csv") })
    }

    /// The parser's fast trimming and field cutting equal Foundation's `trimmingCharacters(in: .whitespaces)` on the
    /// character split, on random lines of digits, commas, ASCII and Unicode spaces, tabs, \v, \f and combining marks.
    @Test func fastFieldsEqualTheCharacterSplitWithFoundationTrimming() {
        let pieces = ["1", "-2.5e3", "nan", ",", ",", " ", "\t", "\u{A0}", "\u{3000}", "\u{2009}", "\u{0B}", "\u{0C}", "\u{301}", "é",
                      "x", "#", "  ", "\u{FEFF}"]
        var state: UInt64 = 0x1234_5678
        func next() -> Int {
            state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            return Int(truncatingIfNeeded: state >> 33)
        }
        for _ in 0..<3000 {
            let line = (0..<(1 + next() % 12)).map { _ in pieces[next() % pieces.count] }.joined()
            let expectedLine = line.trimmingCharacters(in: .whitespaces)
            #expect(String(CSVTrajectoryParser.trimmed(line[...])) == expectedLine, "\(line.unicodeScalars.map { $0.value })")
            let expectedFields = expectedLine.split(separator: ",", omittingEmptySubsequences: false)
                .map { $0.trimmingCharacters(in: .whitespaces) }
            #expect(CSVTrajectoryParser.fields(expectedLine[...]).map(String.init) == expectedFields, "\(line.unicodeScalars.map { $0.value })")
        }
    }

    /// A number field read in place (`strtod_l` on its bytes) is what `Double(String(field))` reads, bit for bit, nil
    /// for nil: edge cases (overflow, underflow to zero, subnormals, signs, lone points and exponents, 63- and
    /// 64-byte fields) and random fields of number bytes.
    @Test func numbersReadInPlaceAreTheStandardLibrarysNumbers() throws {
        var fields = ["0", "-0", "+0", "1", "-1.5", ".5", "5.", ".", "-", "+", "e", "1e", "1e+", "1e-5", "1E5", "--1", "+-1", "1-",
                      "1e400", "-1e400", "1e-400", "-1e-400", "4.9e-324", "2.5e-324", "2.4e-324", "2.2250738585072014e-308",
                      "1.7976931348623157e308", "1.7976931348623159e308", "123456789012345678901234567890", "0.1", "00012",
                      "1.2.3", "1e5e5", "9" + String(repeating: "0", count: 62), "1" + String(repeating: "0", count: 63),
                      "0." + String(repeating: "3", count: 70)]
        var state: UInt64 = 0x9E37_79B9
        func next() -> Int {
            state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            return Int(truncatingIfNeeded: state >> 33)
        }
        let alphabet = Array("0123456789+-.eE5555")
        for _ in 0..<20_000 { fields.append(String((0..<(1 + next() % 14)).map { _ in alphabet[next() % alphabet.count] })) }
        for field in fields {
            let line = "x," + field + ",y"
            let inPlace = CSVNumber.parse(line.split(separator: ",")[1])
            let expected = Double(field)
            #expect(inPlace?.bitPattern == expected?.bitPattern, "'\(field)': \(String(describing: inPlace)) vs \(String(describing: expected))")
        }
    }

    @Test func aReadOnlyFolderPutsTheScratchFileInTheTemporaryDirectory() throws {
        guard getuid() != 0 else { return }  // root writes anywhere: nothing to check
        let dir = try Self.folder()
        defer {
            try? FileManager.default.setAttributes([.posixPermissions: 0o755], ofItemAtPath: dir.path)
            try? FileManager.default.removeItem(at: dir)
        }
        let text = Self.csv(rollouts: 2, steps: 100, breaks: "\n")
        let url = dir.appendingPathComponent("ro.csv")
        try text.write(to: url, atomically: true, encoding: .utf8)
        try FileManager.default.setAttributes([.posixPermissions: 0o555], ofItemAtPath: dir.path)
        let options = TrajectoryFile.Options(timeColumn: "t", timeStep: 0.02)
        #expect(try TrajectoryFile.loadCSV(path: url.path, options: options).values == (try TrajectoryFile.parseCSV(text, options: options).values))
    }
}
