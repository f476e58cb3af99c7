import Foundation
import Testing
@testable import Experiments

/// CSV output per RFC 4180: a text cell with a comma, a double quote or a line break is quoted (quotes doubled),
/// so that it stays one column for pandas and Python's `csv` (a text id `glass, fell` shifted every later column
/// before); numbers and plain text are written exactly as before.
@Suite("CSV tables (RFC 4180 quoting)")
struct CSVTableTests {
    /// Text cells that need quoting, and some that do not.
    static let texts = ["glass, fell", "she said \"stop\"", "two\nlines", "carriage\rreturn", "crlf\r\nend",
                        "\"", ",", "\"\"", "", "plain", "ünïcode, “curly” quotes", " leading and trailing spaces "]

    /// A table whose text column holds every case of ``texts``, between two number columns.
    static func table() throws -> CSVTable {
        var t = CSVTable(columns: ["index", "id, with comma", "value"])
        for (k, text) in texts.enumerated() {
            try t.append([String(k), text, CSVTable.cell(Double(k) / 3)])
        }
        return t
    }

    @Test("numbers and plain text are written unquoted, byte for byte as before")
    func unquoted() throws {
        var t = CSVTable(columns: ["set", "x", "y", "z"])
        try t.append(["causal", CSVTable.cell(0.5), CSVTable.cell(-.infinity), CSVTable.cell(.nan)])
        try t.append(["", CSVTable.cell(-2.25), CSVTable.cell(.infinity), CSVTable.cell(3)])
        #expect(t.text == "set,x,y,z\ncausal,0.5,-inf,nan\n,-2.25,inf,3\n")
        // %.17g never writes a comma, a quote or a line break.
        for x in [0.1, -1e-300, 6.02214076e23, .pi, -0.0, .leastNonzeroMagnitude, .greatestFiniteMagnitude, .nan, .infinity] {
            #expect(CSVTable.field(CSVTable.cell(x)) == CSVTable.cell(x))
        }
    }

    @Test("a comma, a quote, CR or LF quotes the field; quotes are doubled")
    func quoted() {
        #expect(CSVTable.field("glass, fell") == "\"glass, fell\"")
        #expect(CSVTable.field("she said \"stop\"") == "\"she said \"\"stop\"\"\"")
        #expect(CSVTable.field("two\nlines") == "\"two\nlines\"")
        #expect(CSVTable.field("carriage\rreturn") == "\"carriage\rreturn\"")
        #expect(CSVTable.field("\"") == "\"\"\"\"")
        #expect(CSVTable.field("plain text") == "plain text")
        #expect(CSVTable.field("") == "")
    }

    @Test("an RFC 4180 reader returns every cell exactly, one column each")
    func roundTrip() throws {
        let t = try Self.table()
        let read = try RFC4180.parse(t.text)
        #expect(read == [t.columns] + t.rows)
        #expect(read.allSatisfy { $0.count == 3 })
    }

    @Test("Python's csv module reads every cell back exactly", .enabled(if: PythonCSV.available, "python3 is absent"))
    func pythonReadsIt() throws {
        let t = try Self.table()
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("csv-table-\(UUID().uuidString).csv").path
        defer { try? FileManager.default.removeItem(atPath: path) }
        try t.text.write(toFile: path, atomically: true, encoding: .utf8)
        let rows = try PythonCSV.read(path)
        #expect(rows == [t.columns] + t.rows)
    }
}

/// A strict RFC 4180 reader (section 2): fields separated by `,`, records by `\n` or `\r\n`, a quoted field may hold
/// `,`, CR, LF and doubled quotes. The last record may or may not end in a line break.
enum RFC4180 {
    struct Malformed: Error, CustomStringConvertible {
        let description: String
    }

    static func parse(_ text: String) throws -> [[String]] {
        var records: [[String]] = []
        var record: [String] = []
        var field = ""
        var scalars = Array(text.unicodeScalars)[...]
        var fieldStarted = false
        while let c = scalars.popFirst() {
            if c == "\"" && field.isEmpty && !fieldStarted {
                // Quoted field: up to the closing quote; "" is one quote.
                fieldStarted = true
                var closed = false
                while let q = scalars.popFirst() {
                    if q == "\"" {
                        if scalars.first == "\"" { scalars.removeFirst(); field.unicodeScalars.append("\"") } else { closed = true; break }
                    } else {
                        field.unicodeScalars.append(q)
                    }
                }
                guard closed else { throw Malformed(description: "unterminated quoted field") }
                guard scalars.isEmpty || [",", "\n", "\r"].contains(scalars.first!) else {
                    throw Malformed(description: "text after a closing quote")
                }
            } else if c == "," {
                record.append(field); field = ""; fieldStarted = false
            } else if c == "\n" || c == "\r" {
                if c == "\r" {
                    guard scalars.first == "\n" else { throw Malformed(description: "bare CR outside quotes") }
                    scalars.removeFirst()
                }
                record.append(field); records.append(record)
                record = []; field = ""; fieldStarted = false
            } else {
                guard c != "\"" else { throw Malformed(description: "quote inside an unquoted field") }
                field.unicodeScalars.append(c); fieldStarted = true
            }
        }
        if fieldStarted || !record.isEmpty { record.append(field); records.append(record) }
        return records
    }
}

/// `python3`'s `csv` module, when this machine has python3.
enum PythonCSV {
    static let available: Bool = run(["-c", "import csv, json"])?.status == 0

    /// The records of the CSV file at `path` as `csv.reader` returns them.
    static func read(_ path: String) throws -> [[String]] {
        let script = "import csv, json, sys\n"
            + "with open(sys.argv[1], newline='', encoding='utf-8') as f:\n"
            + "    sys.stdout.write(json.dumps(list(csv.reader(f))))\n"
        guard let result = run(["-c", script, path]), result.status == 0 else {
            throw RFC4180.Malformed(description: "python3 could not read \(path)")
        }
        return try JSONDecoder().decode([[String]].self, from: result.output)
    }

    static func run(_ arguments: [String]) -> (status: Int32, output: Data)? {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["python3"] + arguments
        let pipe = Pipe()
        process.standardOutput = pipe
        process.standardError = FileHandle.nullDevice
        do { try process.run() } catch { return nil }
        let data = pipe.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return (process.terminationStatus, data)
    }
}
