/// The version of PathThermo (semantic versioning; the repository's `VERSION` file holds the same string, a
/// test checks that they agree, and the CMake build reads that file). `paththermo --version` prints it with
/// the git commit of the build, and every JSON result records both in its `"provenance"` object.
public enum PathThermoVersion {
    /// `major.minor.patch`.
    public static let string = "0.1.0"
}
