import Foundation
import Testing
@testable import SWRTopUI

/// Compares a frame with `Golden/NAME.txt` (its text, then its styled text). A missing golden
/// is recorded and the test fails once, so a new golden is always looked at before it counts.
func assertGolden(_ frame: Frame, _ name: String, sourceLocation: SourceLocation = #_sourceLocation) {
    let directory = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Golden")
    let url = directory.appendingPathComponent(name + ".txt")
    let rendered = (frame.lines + ["", "--- styles ---"] + frame.styledLines).joined(separator: "\n") + "\n"
    guard let expected = try? String(contentsOf: url, encoding: .utf8) else {
        try? FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        try? rendered.write(to: url, atomically: true, encoding: .utf8)
        Issue.record("recorded a new golden frame \(name).txt; look at it, then run again", sourceLocation: sourceLocation)
        return
    }
    if expected != rendered {
        let diff = zip(expected.split(separator: "\n", omittingEmptySubsequences: false), rendered.split(separator: "\n", omittingEmptySubsequences: false))
            .enumerated().first { $0.element.0 != $0.element.1 }
        Issue.record("frame \(name) differs from its golden at line \((diff?.offset ?? 0) + 1):\nexpected: \(diff?.element.0 ?? "")\nactual:   \(diff?.element.1 ?? "")\n\(frame.lines.joined(separator: "\n"))", sourceLocation: sourceLocation)
    }
}
