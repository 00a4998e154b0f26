import Foundation
import Testing

/// A crash of the dashboard gives the terminal back (main screen, cursor shown, the mode from
/// before) and still ends the process by the signal, after the runtime's backtrace.
@Suite(.serialized, .timeLimit(.minutes(5))) struct CrashRestoreTests {
    @Test(arguments: [SIGSEGV, SIGABRT])
    func aCrashLeavesTheAlternateScreenAndShowsTheCursor(sig: Int32) throws {
        try requireTools()
        // The runtime's backtracer runs as it would for a user, without symbol names (looking
        // them up in a debug build takes ten seconds) and without waiting for a key.
        let tmux = try TmuxSession(command: "\(Paths.binary) --demo", environment: ["SWIFT_BACKTRACE": "interactive=no,symbolicate=off"])
        defer { tmux.close() }
        #expect(tmux.waitFor { $0.contains("LIVE") && $0.contains("jobs · stage") } != nil, "no first frame:\n\(tmux.capture())")
        #expect(paneFlags(tmux) == "1 0", "the dashboard should be on the alternate screen with the cursor hidden")
        let pid = try #require(childNamed("swr-top", of: tmux), "no swr-top process in the pane")
        #expect(kill(pid, sig) == 0)

        let restored = tmux.waitFor(timeout: 60) { $0.contains("swr-top: crashed; the terminal was restored") }
        #expect(restored != nil, "no crash notice:\n\(tmux.capture())")
        #expect(paneFlags(tmux) == "0 1", "alternate screen left and cursor shown")
        let ended = tmux.waitFor(timeout: 120) { $0.contains("EXIT=") && $0.contains("icanon") }
        #expect(ended?.contains("EXIT=\(128 + sig)") == true, "\(ended ?? tmux.capture())")
        // The handler that was there before ours (the runtime's backtracer) ran after it.
        let history = tmux.history()
        let notice = history.range(of: "swr-top: crashed; the terminal was restored")
        let backtrace = history.range(of: "Program crashed:")
        #expect(notice != nil && backtrace != nil && notice!.upperBound <= backtrace!.lowerBound,
                "the runtime's backtrace should follow the notice:\n\(history.suffix(3000))")
        // The terminal mode from before the dashboard is back: canonical input and echo.
        #expect(ended?.contains(" icanon") == true)
        #expect(ended?.contains(" echo") == true)
        #expect(paneFlags(tmux) == "0 1")
        // Nothing of the dashboard was drawn over the restored screen after the notice.
        let afterNotice = ended?.components(separatedBy: "swr-top: crashed; the terminal was restored").last ?? ""
        #expect(!afterNotice.contains("LIVE"), "\(afterNotice)")
    }

    /// `alternate_on cursor_flag` of the pane: "1 0" while the dashboard runs, "0 1" at a prompt.
    private func paneFlags(_ tmux: TmuxSession) -> String {
        let result = try? tmux.tmux(["display-message", "-p", "-t", "e2e", "#{alternate_on} #{cursor_flag}"])
        return result?.stdout.trimmingCharacters(in: .whitespacesAndNewlines) ?? ""
    }

    /// The pid of the process called `name` among the descendants of the pane's shell.
    private func childNamed(_ name: String, of tmux: TmuxSession) -> pid_t? {
        guard let output = try? tmux.tmux(["display-message", "-p", "-t", "e2e", "#{pane_pid}"]).stdout,
              let pane = pid_t(output.trimmingCharacters(in: .whitespacesAndNewlines)) else { return nil }
        var parents: [pid_t: pid_t] = [:]
        var names: [pid_t: String] = [:]
        let entries = (try? FileManager.default.contentsOfDirectory(atPath: "/proc")) ?? []
        for entry in entries {
            guard let pid = pid_t(entry), let stat = try? String(contentsOfFile: "/proc/\(entry)/stat", encoding: .utf8),
                  let open = stat.firstIndex(of: "("), let close = stat.lastIndex(of: ")") else { continue }
            // "pid (comm) state ppid ..."
            let fields = stat[stat.index(after: close)...].split(separator: " ")
            guard fields.count > 1, let parent = pid_t(fields[1]) else { continue }
            parents[pid] = parent
            names[pid] = String(stat[stat.index(after: open)..<close])
        }
        func descends(_ pid: pid_t) -> Bool {
            var current = pid
            for _ in 0..<16 {
                guard let parent = parents[current] else { return false }
                if parent == pane { return true }
                current = parent
            }
            return false
        }
        return names.first { $0.value == name && descends($0.key) }?.key
    }
}
