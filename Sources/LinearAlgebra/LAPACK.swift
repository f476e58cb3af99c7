import CLAPACK

/// Helpers for calling LAPACKE: character arguments and the mapping of `info` to errors.
enum LAPACK {
    /// A LAPACK character argument (`'N'`, `'V'`, `'U'`, …) as the C `char` LAPACKE wants.
    static func char(_ c: Unicode.Scalar) -> CChar { CChar(UInt8(ascii: c)) }

    /// Maps a non-zero `info` that has no routine-specific meaning to an error.
    /// `info < 0` means argument `-info` was illegal: an internal bug, but still reported, not trapped.
    static func check(_ info: pt_lapack_int, _ routine: String) throws {
        if info != 0 { throw LinearAlgebraError.lapack(routine: routine, info: Int(info)) }
    }
}
