import Foundation
import PackagePlugin

/// Build-tool plugin: writes `BuildCommit.swift`, `enum BuildCommit { static let commit = "<short hash>" }`, for the
/// target it is applied to (the `paththermo` CLI, for `--version` and the `"provenance"` of its JSON results).
///
/// A prebuild command, so it runs before every build: `git rev-parse --short HEAD` in the package directory when
/// that directory has a `.git` (a clone or a worktree) and git is on the PATH, else `unknown` (a tarball, an
/// export, no git). Offline and read-only on the repository. The file is replaced only when its text changes, so
/// an unchanged commit recompiles nothing. The CMake build writes the same file with
/// `cmake/modules/PathThermoBuildCommit.cmake`.
@main
struct BuildCommit: BuildToolPlugin {
    func createBuildCommands(context: PluginContext, target: Target) throws -> [Command] {
        let outputs = context.pluginWorkDirectoryURL.appendingPathComponent("Generated")
        let staging = context.pluginWorkDirectoryURL.appendingPathComponent("BuildCommit.swift.new")
        let script = #"""
            root=$1; out=$2; staging=$3
            mkdir -p "$out" || exit 1
            commit=unknown
            if [ -e "$root/.git" ] && command -v git >/dev/null 2>&1; then
                hash=$(git -C "$root" rev-parse --short HEAD 2>/dev/null) || hash=
                case "$hash" in ''|*[!0-9a-f]*) ;; *) commit=$hash ;; esac
            fi
            {
                echo '// Generated at build time (SwiftPM: Plugins/BuildCommit; CMake: cmake/modules/PathThermoBuildCommit.cmake).'
                echo '/// The git commit (short hash) this program was built from, or `unknown` outside a git checkout.'
                echo "enum BuildCommit { static let commit = \"$commit\" }"
            } > "$staging" || exit 1
            if cmp -s "$staging" "$out/BuildCommit.swift"; then rm -f "$staging"; else mv -f "$staging" "$out/BuildCommit.swift"; fi
            """#
        return [.prebuildCommand(
            displayName: "BuildCommit: git commit of \(context.package.directoryURL.path)",
            executable: URL(fileURLWithPath: "/bin/sh"),
            arguments: ["-c", script, "sh", context.package.directoryURL.path, outputs.path, staging.path],
            outputFilesDirectory: outputs)]
    }
}
