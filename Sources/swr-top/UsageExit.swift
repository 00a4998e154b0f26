import ArgumentParser
import Glibc
import SWRAPI

/// swr-top's own entry point: the parser's messages as ArgumentParser words them, but exit 2
/// (not 64) for every usage or validation error, as the README's "Exit codes" promise.
extension SWRTop {
    static func main() {
        var command: any ParsableCommand
        do {
            command = try parseAsRoot()
        } catch {
            finish(with: error)
        }
        do {
            try command.run()
        } catch {
            finish(with: error)
        }
        Glibc.exit(Exit.ok)
    }

    /// Prints what the parser has to say about `error` (help and version on stdout, errors on
    /// stderr) and exits: 0 for `--help`/`--version`, 2 for usage errors, a command's own
    /// `ExitCode` as thrown.
    static func finish(with error: any Error) -> Never {
        if let code = error as? ExitCode { Glibc.exit(code.rawValue) }
        let code = exitCode(for: error)
        let message = fullMessage(for: error)
        if code == .success {
            if !message.isEmpty { FileDescriptorWriter.write(message + "\n", fd: STDOUT_FILENO) }
            Glibc.exit(Exit.ok)
        }
        if !message.isEmpty { FileDescriptorWriter.write(message + "\n", fd: STDERR_FILENO) }
        Glibc.exit(code == .validationFailure ? Exit.usage : code.rawValue)
    }
}
