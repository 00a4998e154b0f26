import Foundation
import Logging
import Synchronization
import SWRAPI
import SWRTopUI
import SWRWatch
import Terminal

/// The live dashboard: one loop on the main thread owns the state and the terminal; the
/// polling engine and the refreshers (pipeline status, the open log) run on the cooperative
/// pool and only hand answers over through an inbox.
enum AppLoop {
    /// Actions waiting for the UI thread.
    final class Inbox: Sendable {
        private let pending = Mutex<[Action]>([])
        func push(_ action: Action) { pending.withLock { $0.append(action) } }
        func drain() -> [Action] { pending.withLock { s in defer { s = [] }; return s } }
    }

    /// At most this many frames a second.
    static let frameInterval: TimeInterval = 1.0 / 30

    struct Options {
        var noColor: Bool
        var bell: Bool
        var notify: Bool
        /// The `--log` file, whose one failure notice is shown in the status line.
        var logFile: LogFile? = nil
    }

    static func run(session: Session, options: Options, environment: [String: String], logger: Logger) throws -> Int32 {
        let screen: CursesScreen
        do { screen = try CursesScreen(noColor: options.noColor, environment: environment) } catch {
            complain("\(error)")
            return Exit.usage
        }
        var state = AppState(pipelines: session.pipelines, now: Date(), endpointHost: session.endpointHost,
                             glyphs: screen.isUnicode ? .unicode : .ascii)
        state.ringBellOnFinish = options.bell
        state.notifyOnFinish = options.notify
        let notifier = DesktopNotifier(environment: environment)
        let inbox = Inbox()
        let workers = Workers(session: session, targets: state.allTargets, inbox: inbox)
        workers.send(.focus(state.focusedTarget))
        logger.info("dashboard started: \(session.pipelines.count) pipelines, \(state.allTargets.count) stages, interval \(session.interval)s")

        var dirty = true
        var lastRender = Date.distantPast
        var lastSecond = Int(Date().timeIntervalSince1970)
        var exitCode = Exit.ok
        var logFailureShown = false
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
            let actions = inbox.drain()
            if !actions.isEmpty {
                state.now = now
                for action in actions {
                    effects += update(&state, action)
                    if case .poll(let result) = action, case .failure(let error) = result.outcome {
                        logger.warning("\(EventText.placeName(result.target, pipelines: state.pipelines)): \(error)")
                    }
                }
                dirty = true
            }
            if !logFailureShown, let failure = options.logFile?.failure {
                // The log stopped (disk full, closed pipe): say so once; the dashboard goes on.
                state.notice = (failure, now.addingTimeInterval(15))
                logFailureShown = true
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
                case .bell: screen.bell()
                case .notify(let text):
                    notifier.send(text)
                    logger.info("notified: \(text)")
                case .focus(let target): workers.send(.focus(target))
                case .watch(let targets):
                    workers.send(.watch(targets))
                    workers.send(.focus(state.focusedTarget))
                default: workers.send(.effect(effect))
                }
            }
            if dirty, now.timeIntervalSince(lastRender) >= frameInterval {
                let (width, height) = screen.size
                Layout.fit(&state, width: width, height: height)
                screen.draw(view(state, width: width, height: height))
                lastRender = now
                dirty = false
            }
        }
        screen.close()
        workers.stop()
        logger.info("dashboard stopped")
        return exitCode
    }
}
