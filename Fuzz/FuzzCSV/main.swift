// libFuzzer target: the CSV trajectory reader (Estimators/TrajectoryFile.parseCSV), which
// `TrajectoryFile.loadCSV` (estimate --input file.csv) calls on the file's bytes decoded as UTF-8.
import Estimators
import FuzzSupport

runFuzzer { data, size in testOneInput(data, size) }

/// libFuzzer's callback, also under its conventional C name (which libFuzzer's own `main` references).
@_cdecl("LLVMFuzzerTestOneInput")
func testOneInput(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
    fuzz(fuzzBytes(data, size))
    return 0
}

func fuzz(_ bytes: [UInt8]) {
    expectingErrors { _ = try TrajectoryFile.parseCSV(String(decoding: bytes, as: UTF8.self)) }
}
