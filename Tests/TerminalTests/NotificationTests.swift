import Foundation
import Glibc
import Testing
import SWRAPI
import SWRTopUI
import SWRWatch
@testable import Terminal

/// Collects what a notifier writes to a pipe.
final class PipeCapture {
    let readEnd: Int32
    let writeEnd: Int32

    init() {
        var fds: [Int32] = [0, 0]
        pipe(&fds)
        readEnd = fds[0]
        writeEnd = fds[1]
        _ = fcntl(readEnd, F_SETFL, fcntl(readEnd, F_GETFL) | O_NONBLOCK)
    }

    func bytes() -> [UInt8] {
        var out: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 4096)
        while true {
            let n = read(readEnd, &buffer, buffer.count)
            guard n > 0 else { break }
            out += buffer[0..<n]
        }
        return out
    }

    deinit {
        close(readEnd)
        close(writeEnd)
    }
}

func count(_ needle: String, in bytes: [UInt8]) -> Int {
    let pattern = Array(needle.utf8)
    guard bytes.count >= pattern.count else { return 0 }
    return (0...(bytes.count - pattern.count)).filter { Array(bytes[$0..<($0 + pattern.count)]) == pattern }.count
}

@Suite struct NotificationTests {
    let start = Date(timeIntervalSince1970: 1_700_000_000)
    let pipeline = PipelineInfo(id: 7, name: "tomcat", stages: [StageInfo(index: 0, name: "build"), StageInfo(index: 1, name: "deploy")])

    func poll(_ stage: Int, _ jobs: [Job], at seconds: Double) -> Action {
        .poll(PollResult(target: Target(pipeline: 7, stage: stage), outcome: .success(jobs),
                         startedAt: start.addingTimeInterval(seconds - 0.1), endedAt: start.addingTimeInterval(seconds), nextPollAt: start.addingTimeInterval(seconds + 3)))
    }

    /// Runs actions through `update` and sends each notification with a notifier writing to a pipe.
    func bytesWritten(_ actions: [Action], notify: Bool = true) -> (bytes: [UInt8], state: AppState) {
        let capture = PipeCapture()
        let notifier = DesktopNotifier(fd: capture.writeEnd, environment: [:])
        var state = AppState(pipelines: [pipeline], now: start, endpointHost: "h")
        state.notifyOnFinish = notify
        for action in actions {
            for effect in update(&state, action) {
                if case .notify(let text) = effect { notifier.send(text) }
            }
        }
        return (capture.bytes(), state)
    }

    @Test func aRunEndingSendsOSC9AndOSC777ExactlyOnce() {
        let building = [Job(id: "11", state: .building, progress: 50)]
        let done = [Job(id: "11", state: .successful, progress: 100)]
        let (bytes, state) = bytesWritten([
            poll(1, building, at: 0),  // baseline: no announcement
            poll(1, building, at: 3),
            poll(1, done, at: 6),      // the transition
            poll(1, done, at: 9),      // unchanged: nothing
            poll(1, [Job(id: "11", state: .failed)], at: 12),  // a final job changing again: not a new end
            poll(1, done, at: 15),
        ])
        let text = String(decoding: bytes, as: UTF8.self)
        #expect(text == "\u{1B}]9;swr-top: tomcat run ended: Successful at deploy\u{07}\u{1B}]777;notify;swr-top;tomcat run ended: Successful at deploy\u{07}")
        #expect(state.notice?.text == "tomcat run ended: Successful at deploy")
    }

    @Test func eachRunsEndIsAnnouncedAndAFailureAtAnyStageEndsTheRun() {
        let (bytes, _) = bytesWritten([
            poll(0, [Job(id: "20", state: .successful)], at: 0),
            poll(0, [Job(id: "21", state: .building), Job(id: "20", state: .successful)], at: 3),
            poll(0, [Job(id: "21", state: .failed), Job(id: "20", state: .successful)], at: 6),
            poll(1, [Job(id: "30", state: .successful)], at: 7),  // baseline of the last stage
            poll(1, [Job(id: "31", state: .building), Job(id: "30", state: .successful)], at: 9),
            poll(1, [Job(id: "31", state: .timeout), Job(id: "30", state: .successful)], at: 12),
            // A success before the last stage is not the end of the run.
            poll(0, [Job(id: "22", state: .building), Job(id: "21", state: .failed)], at: 13),
            poll(0, [Job(id: "22", state: .successful), Job(id: "21", state: .failed)], at: 14),
        ])
        #expect(count("\u{1B}]9;", in: bytes) == 2)
        #expect(count("\u{1B}]777;notify;", in: bytes) == 2)
        #expect(count("Failed at build", in: bytes) == 2)
        #expect(count("Timeout at deploy", in: bytes) == 2)
    }

    @Test func withoutNotifyNothingIsWritten() {
        let (bytes, state) = bytesWritten([
            poll(1, [Job(id: "11", state: .building)], at: 0),
            poll(1, [Job(id: "11", state: .failed)], at: 3),
        ], notify: false)
        #expect(bytes.isEmpty)
        #expect(state.notice != nil)
    }

    @Test func insideTmuxTheSequencesAreWrappedForPassthrough() {
        let capture = PipeCapture()
        DesktopNotifier(fd: capture.writeEnd, environment: ["TMUX": "/tmp/tmux-0/default,1,0"]).send("done")
        let text = String(decoding: capture.bytes(), as: UTF8.self)
        #expect(text == "\u{1B}Ptmux;\u{1B}\u{1B}]9;swr-top: done\u{07}\u{1B}\\\u{1B}Ptmux;\u{1B}\u{1B}]777;notify;swr-top;done\u{07}\u{1B}\\")
    }

    @Test func controlCharactersCannotEndTheSequenceEarly() {
        let text = DesktopNotifier.sequences(title: "a;b\u{07}", body: "x\u{1B}]0;evil\u{07}y", tmux: false)
        #expect(text == "\u{1B}]9;a,b?: x?]0;evil?y\u{07}\u{1B}]777;notify;a,b?;x?]0;evil?y\u{07}")
        #expect(count("\u{07}", in: Array(text.utf8)) == 2)
        #expect(count("\u{1B}", in: Array(text.utf8)) == 2)
    }
}
