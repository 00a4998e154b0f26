/// The version of swr-top and the git commit it was built from (`swr-top --version`).
///
/// How the commit gets in, with no build plugin and no compiler flag: `make release` (and so
/// `make install` and `make deb`) writes `BuildStamp.generated.swift` next to this file (it is
/// gitignored), containing only
///
///     #if !DEBUG
///     extension BuildInfo { static var commit: String? { "1a2b3c4d5e6f" } }
///     #endif
///
/// A type's own member is chosen over a protocol extension's, so when that file is there its
/// `commit` replaces the default below, and when it is not (a fresh clone, a plain `swift build`)
/// the default answers and `--version` says the commit is unknown. Debug builds ignore the file,
/// so a stamp left by an older `make release` never labels a later debug build.
enum BuildInfo: BuildStampDefault {
    /// The release version; the Makefile reads it from this line for the Debian package.
    static let version = "0.1.0"

    /// `0.1.0 (commit 1a2b3c4d5e6f)`, with `-dirty` when the working tree had uncommitted changes.
    static var versionLine: String {
        "\(version) (commit \(commit ?? "unknown: not built by make release"))"
    }
}

/// Supplies `BuildInfo.commit` when no generated stamp does.
protocol BuildStampDefault {
    static var commit: String? { get }
}

extension BuildStampDefault {
    static var commit: String? { nil }
}
