import ArrayIO

/// What `paththermo` does before it parses its arguments.
enum StartUp {
    /// Installs ArrayIO's signal handlers: SIGINT, SIGTERM and SIGHUP remove the temporary files of unfinished
    /// outputs (every output is written under a temporary name and renamed when complete), stop a running
    /// matplotlib, print `paththermo: error: interrupted (SIGINT)` and exit 130 (143, 129); SIGXFSZ is ignored,
    /// so `ulimit -f` turns into a one-line write error.
    static func prepare() {
        InterruptCleanup.installHandlers(programName: "paththermo")
    }
}
