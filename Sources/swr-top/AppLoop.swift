import Foundation
import Logging
import Synchronization
import SWRAPI
import SWRTopUI
import SWRWatch
import Terminal

/// The live dashboard: one loop on the main thread owns the state and the terminal; the
/// polling engine runs on the cooperative pool and only hands results over through an inbox.
enum AppLoop {
    /// Poll results waiting for the UI thread.
    final class Inbox: Sendable {
        private let pending = Mutex<[PollResult]>([])
        func push(_ result: PollResult) { pending.withLock { $0.append(result) } }
        func drain() -> [PollResult] { pending.withLock { s in defer { s = [] }; return s } }
    }

    /// At most this many frames a second.
    static let frameInterval: TimeInterval = 1.0 / 30

    static func run(session: Session, noColor: Bool, bell: Bool, environment: [String: String], logger: Logger) throws -> Int32 {
        let screen: CursesScreen
        do { screen = try CursesScreen(noColor: noColor, environment: environment) } catch {
            complain("\(error)")
            return Exit.usage
        }
        var state = AppState(pipelines: session.pipelines, now: Date(), endpointHost: session.endpointHost,
                             glyphs: screen.isUnicode ? .unicode : .ascii)
        state.ringBellOnFinish = bell
        let engine = PollingEngine(source: session.client, clock: SystemWatchClock(), targets: state.allTargets,
                                   schedule: PollSchedule(baseInterval: session.interval), maxConcurrent: 8,
                                   requestTimeout: session.timeout + 1)
        let inbox = Inbox()
        let engineTask = Task.detached { await engine.run() }
        let pump = Task.detached { for await result in engine.results { inbox.push(result) } }
        logger.info("dashboard started: \(session.pipelines.count) pipelines, \(state.allTargets.count) stages, interval \(session.interval)s")

        var dirty = true
        var lastRender = Date.distantPast
        var lastSecond = Int(Date().timeIntervalSince1970)
        var exitCode = Exit.ok
        loop: while true {
            if let signal = screen.pendingSignal() {
                exitCode = 128 + signal
                break
            }
            var effects: [Effect] = []
            if let event = screen.nextEvent() {
                switch event {
                case .key(let key): effects += update(&state, .key(key))
                case .resize: break
                }
                dirty = true
            }
            let now = Date()
            let results = inbox.drain()
            if !results.isEmpty {
                state.now = now
                for result in results {
                    effects += update(&state, .poll(result))
                    if case .failure(let error) = result.outcome {
                        logger.warning("\(EventText.placeName(result.target, pipelines: state.pipelines)): \(error)")
                    }
                }
                dirty = true
            }
            let second = Int(now.timeIntervalSince1970)
            if second != lastSecond {
                lastSecond = second
                effects += update(&state, .tick(now))
                dirty = true
            }
            for effect in effects {
                switch effect {
                case .quit: break loop
                case .focus(let target): Task.detached { await engine.setFocus(target) }
                case .refresh(let targets): Task.detached { await engine.refreshNow(targets) }
                case .pause: Task.detached { await engine.pause() }
                case .resume: Task.detached { await engine.resume() }
                case .bell: screen.bell()
                }
            }
            if dirty, now.timeIntervalSince(lastRender) >= frameInterval {
                let (width, height) = screen.size
                state.pageRows = Layout(state: state, width: width, height: height).jobRows
                screen.draw(view(state, width: width, height: height))
                lastRender = now
                dirty = false
            }
        }
        screen.close()
        engineTask.cancel()
        pump.cancel()
        logger.info("dashboard stopped")
        return exitCode
    }
}
