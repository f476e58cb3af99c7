// libFuzzer target: the `.npy` reader (ArrayIO/NPYReader, NPYHeader, PythonLiteral) and what the CLI does
// with a decoded array — a matrix option (`MatrixSource.load` of `*.npy`) and a trajectory file
// (`TrajectoryFile.loadNPY`, as `estimate` reads it). Thrown errors are fine; a trap is a finding.
import ArrayIO
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
    expectingErrors {
        // NPY.read(contentsOf:) is FileInput.contents(of:) followed by exactly this call.
        let array = try NPY.decode(bytes)
        expectingErrors { _ = try JSONNumericValue(array) }           // --a file.npy, --drift file.npy, …
        expectingErrors { _ = try TrajectoryFile.data(from: array) }  // estimate --input file.npy
    }
}
