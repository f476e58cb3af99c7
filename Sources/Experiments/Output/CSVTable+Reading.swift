/// Reading CSV text back into a ``CSVTable``.
extension CSVTable {
    /// Parses RFC 4180 CSV text: the first record is the header; fields separated by `,`; a field in double quotes may
    /// hold commas, line breaks and doubled quotes (`""` → `"`); records end in `\n` or `\r\n`; a final line break is
    /// optional and blank lines are skipped; a leading byte-order mark is dropped. Every record must have as many
    /// fields as the header.
    /// - Throws: ``ExperimentError/invalidConfiguration(_:)`` naming the line for an empty text or header, a quote
    ///   that is not closed, text after a closing quote, or a record of the wrong length.
    public static func parse(_ text: String) throws -> CSVTable {
        var records: [(line: Int, fields: [String])] = []
        var fields: [String] = [], field = "", quoted = false, afterQuote = false, line = 1, recordLine = 1
        var fieldStarted = false
        func endField() { fields.append(field); field = ""; afterQuote = false; fieldStarted = false }
        func endRecord() {
            endField()
            if !(fields.count == 1 && fields[0].isEmpty) { records.append((recordLine, fields)) }
            fields = []
            recordLine = line
        }
        var chars = Array(text.unicodeScalars)[...]
        if chars.first == "\u{FEFF}" { chars.removeFirst() }  // a UTF-8 byte-order mark (spreadsheet exports)
        while let c = chars.popFirst() {
            if quoted {
                if c == "\"" {
                    if chars.first == "\"" { chars.removeFirst(); field.unicodeScalars.append("\"") } else { quoted = false; afterQuote = true }
                } else {
                    if c == "\n" { line += 1 }
                    field.unicodeScalars.append(c)
                }
                continue
            }
            switch c {
            case ",": endField()
            case "\r" where chars.first == "\n": break
            case "\n":
                line += 1
                endRecord()
            case "\"" where !fieldStarted:
                quoted = true
                fieldStarted = true
            default:
                if afterQuote {
                    throw ExperimentError.invalidConfiguration("CSV line \(line): text after a closing quote")
                }
                if c == "\"" { throw ExperimentError.invalidConfiguration("CSV line \(line): a quote inside an unquoted field") }
                field.unicodeScalars.append(c)
                fieldStarted = true
            }
        }
        if quoted { throw ExperimentError.invalidConfiguration("CSV line \(recordLine): a quoted field is not closed") }
        if fieldStarted || !fields.isEmpty || !field.isEmpty { endRecord() }
        guard let header = records.first else { throw ExperimentError.invalidConfiguration("CSV: no header line") }
        var table = CSVTable(columns: header.fields)
        for record in records.dropFirst() {
            guard record.fields.count == header.fields.count else {
                throw ExperimentError.invalidConfiguration(
                    "CSV line \(record.line): \(record.fields.count) fields for \(header.fields.count) columns")
            }
            try table.append(record.fields)
        }
        return table
    }
}
