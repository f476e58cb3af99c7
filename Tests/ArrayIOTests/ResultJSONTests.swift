import ArrayIO
import Foundation
import Testing

/// JSON results: non-finite numbers are `null` and named in a top-level "warnings" array.
@Suite("Result JSON: null and warnings")
struct ResultJSONTests {
    struct Details: Encodable { let circulation: Double; let bins: [Double] }
    struct Estimate: Encodable { let rate: Double; let details: Details }
    struct Report: Encodable { let grid: Estimate; let name: String }

    func parse(_ text: String) throws -> [String: Any] {
        try #require(try JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any])
    }

    @Test func nonFiniteNumbersBecomeNullAndAreNamed() throws {
        let report = Report(grid: Estimate(rate: 0.25, details: Details(circulation: .nan, bins: [1, .infinity, -.infinity])),
                            name: "nan")
        let json = try ResultJSON(report, warnings: ["grid: few samples"])
        #expect(json.warnings == ["grid: few samples", "grid.details.bins[1] is not finite (inf)",
                                  "grid.details.bins[2] is not finite (-inf)", "grid.details.circulation is not finite (nan)"])
        #expect(!json.text.contains("@paththermo") && json.text.hasSuffix("}\n"))
        let o = try parse(json.text)
        #expect(o["warnings"] as? [String] == json.warnings)
        #expect(o["name"] as? String == "nan")  // a string "nan" is a string, not a number
        let grid = try #require(o["grid"] as? [String: Any]), details = try #require(grid["details"] as? [String: Any])
        #expect(grid["rate"] as? Double == 0.25)
        #expect(details["circulation"] is NSNull)
        let bins = try #require(details["bins"] as? [Any])
        #expect(bins[0] as? Double == 1 && bins[1] is NSNull && bins[2] is NSNull)
    }

    @Test func manyNonFiniteNumbersOfOnePatternAreOneWarning() throws {
        // A grid's unused bins are NaN by design: 1 000 of them are one line, not 1 000.
        var bins = [Double](repeating: 1, count: 1_200)
        for k in stride(from: 100, to: 1_100, by: 1) { bins[k] = .nan }
        let json = try ResultJSON(Estimate(rate: .infinity, details: Details(circulation: 0, bins: bins)))
        #expect(json.warnings == ["details.bins[*] is not finite in 1000 places (nan; first details.bins[100])",
                                  "rate is not finite (inf)"])
        let o = try parse(json.text)
        let written = try #require((o["details"] as? [String: Any])?["bins"] as? [Any])
        #expect(written.filter { $0 is NSNull }.count == 1_000)
    }

    @Test func finiteResultsHaveNoWarningsKey() throws {
        let json = try ResultJSON(Estimate(rate: 1.5, details: Details(circulation: -2, bins: [])))
        #expect(json.warnings.isEmpty)
        let o = try parse(json.text)
        #expect(o["warnings"] == nil && o["rate"] as? Double == 1.5)
    }

    @Test func aTopLevelArrayReturnsItsWarnings() throws {
        let json = try ResultJSON([1.0, .nan])
        #expect(json.text.replacingOccurrences(of: " ", with: "").replacingOccurrences(of: "\n", with: "") == "[1,null]")
        #expect(json.warnings == ["[1] is not finite (nan)"])
        #expect(try ResultJSON(Double.nan).warnings == ["value is not finite (nan)"])
    }

    @Test func resultFilesWriteNullAndWarnings() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("result-json-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let path = dir.appendingPathComponent("r.json").path
        let warnings = try ResultFile.writeJSON(Estimate(rate: .nan, details: Details(circulation: 0, bins: [])), to: path)
        #expect(warnings == ["rate is not finite (nan)"])
        let o = try parse(try String(contentsOfFile: path, encoding: .utf8))
        #expect(o["rate"] is NSNull && o["warnings"] as? [String] == warnings)
    }
}

extension ResultJSONTests {
    struct Row: Codable, Equatable { let x: Double; let label: String; let values: [Double] }

    /// Written with null, read back with NaN where the numbers were not finite; a string "null" stays a string.
    @Test func readsBackNullAsNaN() throws {
        let row = Row(x: .infinity, label: "null \\\" null", values: [1, .nan, -2])
        let json = try ResultJSON(row)
        let back = try ResultJSON.decode(Row.self, from: Data(json.text.utf8))
        #expect(back.x.isNaN && back.label == row.label && back.values[0] == 1 && back.values[1].isNaN && back.values[2] == -2)
    }
}
