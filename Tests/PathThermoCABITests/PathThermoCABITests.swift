import LinearAlgebra
import PathThermo
@testable import PathThermoCABI
import Testing
import Thermodynamics

/// The C ABI called from Swift: status codes and messages for malformed calls, results equal to the library's.
/// (The Python package's pytest suite, python/tests, exercises the same functions through ctypes.)
@Suite("C ABI")
struct PathThermoCABITests {
    @Test func messageIsTruncatedOnACharacterBoundary() {
        var buffer = [CChar](repeating: 1, count: 8)
        // "ab" + "≥" (3 bytes) + "cd": capacity 5 leaves room for 4 bytes, which would split "≥" after 2 of its bytes.
        writeMessage("ab≥cd", to: &buffer, capacity: 5)
        let prefix = Array(buffer[0..<3])
        #expect(prefix == [97, 98, 0])
        writeMessage("ab≥cd", to: &buffer, capacity: 8)
        #expect(String(cString: buffer) == "ab≥cd")
        writeMessage("xyz", to: &buffer, capacity: 0)   // nothing written
        #expect(String(cString: buffer) == "ab≥cd")
    }

    @Test func malformedCallsReturnInvalidArgument() {
        var message = [CChar](repeating: 0, count: 256)
        var out = 0.0
        let w: [Double] = [1, 2, 3, 4]
        let statuses: [Int32] = w.withUnsafeBytes { p in [
            pt_asymmetry(nil, 0, 2, 2, 2, 1, &out, &message, 256),
            pt_asymmetry(p.baseAddress, 9, 2, 2, 2, 1, &out, &message, 256),
            pt_asymmetry(p.baseAddress, 0, 0, 2, 2, 1, &out, &message, 256),
            pt_asymmetry(p.baseAddress, 0, 2, 2, 1 << 62, 1 << 62, &out, &message, 256),
            pt_asymmetry(p.baseAddress, 0, 2, 2, Int64.min, 1, &out, &message, 256),
            pt_asymmetry(p.baseAddress, 0, 2, 2, 2, 1, nil, &message, 256),
        ] }
        #expect(statuses == [Int32](repeating: ABIStatus.invalidArgument, count: 6))
        #expect(String(cString: message).contains("null"))
        let huge = w.withUnsafeBytes { p in pt_asymmetry(p.baseAddress, 0, 1 << 40, 1 << 40, 0, 0, &out, &message, 256) }
        #expect(huge == ABIStatus.resourceLimit)
    }

    @Test func lyapunovEqualsTheLibraryInBothOrders() throws {
        let a = try Matrix([[-2, 1, 0.5], [0.3, -1.5, 0.2], [0, 0.4, -1]])
        let q = try Matrix([[1, 0.2, 0], [0.2, 2, 0.1], [0, 0.1, 1]])
        let expected = try solveContinuousLyapunov(a, q)
        var message = [CChar](repeating: 0, count: 256)
        var x = [Double](repeating: 0, count: 9)
        var residual = -1.0
        // Column-major storage read with Fortran strides (1, n).
        let status = a.storage.withUnsafeBytes { pa in
            q.storage.withUnsafeBytes { pq in
                pt_lyapunov(pa.baseAddress, 0, 3, 3, 1, 3, pq.baseAddress, 0, 3, 3, 1, 3, 0, &x, &residual, &message, 256)
            }
        }
        #expect(status == ABIStatus.ok && message[0] == 0)
        #expect(x == expected.rowArrays.flatMap { $0 })    // row-major output, bit for bit
        #expect(residual >= 0 && residual < 1e-14)
    }

    @Test func ouClosedFormAndUnstableDrift() throws {
        var message = [CChar](repeating: 0, count: 256)
        var scalars = [Double](repeating: 0, count: 5)
        let stable: [Double] = [-1, 2, -2, -1], unstable: [Double] = [1, 0, 0, -1], d: [Double] = [0.5, 0, 0, 0.5]
        let ok = stable.withUnsafeBytes { b in d.withUnsafeBytes { dd in
            pt_ou(b.baseAddress, 0, 2, 2, 2, 1, dd.baseAddress, 0, 2, 2, 2, 1, nil, nil, nil, nil, nil, &scalars, &message, 256)
        } }
        #expect(ok == ABIStatus.ok)
        #expect(abs(scalars[0] - 8) <= 8e-12)   // 2ω²/γ with γ = 1, ω = 2
        let bad = unstable.withUnsafeBytes { b in d.withUnsafeBytes { dd in
            pt_ou(b.baseAddress, 0, 2, 2, 2, 1, dd.baseAddress, 0, 2, 2, 2, 1, nil, nil, nil, nil, nil, &scalars, &message, 256)
        } }
        #expect(bad == ABIStatus.libraryError)
        #expect(String(cString: message).contains("not stable"))
    }

    @Test func versionString() {
        var buffer = [CChar](repeating: 0, count: 32)
        let length = pt_version(&buffer, 32)
        let text = String(cString: buffer)
        #expect(text == PathThermoVersion.string && length == Int64(PathThermoVersion.string.utf8.count))
        #expect(pt_abi_version() == 0)
    }
}
