import Dispatch
import Foundation
import Logging
import SWRAPI
import SWRSession
import SWRTopUI
import SWRWatch
import Terminal

/// The live dashboard: one loop on the calling (main) thread owns the state and the terminal;
/// the session's engine and refreshers run on the cooperative pool and hand answers over
/// through an inbox. The loop sleeps until something happens — a key, an answer (the inbox's
/// wake-up pipe), a signal or resize (the same pipe), or the next deadline (the once-a-second
/// tick, a frame held back by the frame-rate limit). While nobody is at the keyboard it draws
/// once a second however many answers arrive (`RedrawPolicy`), and background answers do not
/// even wake it: they wait in the inbox for the tick. An idle dashboard costs next to nothing.
public enum Dashboard {
    /// At most this many frames a second.
    static let framesPerSecond = 30

    /// Runs until quit or a termination signal; shuts the session down (waiting at most 150 ms
    /// for connections to close, so quitting never waits on a hung server); the exit code.
    public static func run(session: Session, options: DashboardOptions, environment: [String: String], logger: Logger,
                           output: ScriptOutput = .standard) -> Int32 {
        let code = loop(session: session, options: options, environment: environment, logger: logger, output: output)
        let closed = DispatchSemaphore(value: 0)
        Task.detached {
            await session.shutdown()
            closed.signal()
        }
        _ = closed.wait(timeout: .now() + .milliseconds(150))
        return code
    }

    private static func loop(session: Session, options: DashboardOptions, environment: [String: String], logger: Logger,
                             output: ScriptOutput) -> Int32 {
        let screen: CursesScreen
        let wake: WakePipe
        do {
            screen = try CursesScreen(noColor: options.noColor, environment: environment, mouse: options.mouse && session.mouse)
            wake = try WakePipe()
        } catch {
            output.complain("\(error)")
            return ExitStatus.usage
        }
        screen.wakeOnSignals(wake)
        var state = AppState(pipelines: session.pipelines, now: Date(), endpointHost: session.endpointHost,
                             glyphs: screen.isUnicode ? .unicode : .ascii)
        state.ringBellOnFinish = options.bell
        state.notifyOnFinish = options.notify
        state.hasHistory = session.history != nil
        let notifier = DesktopNotifier(environment: environment)
        let inbox = Inbox(wake: wake)
        let runner = SessionRunner(session: session, targets: state.allTargets, firstPipeline: state.focusedTarget?.pipeline) { inbox.push(EffectRouter.action(for: $0)) }
        runner.send(.focus(state.focusedTarget))
        logger.info("dashboard started: \(session.pipelines.count) pipelines, \(state.allTargets.count) stages, interval \(session.interval)s")
        defer {
            screen.close()
            runner.stop()
            logger.info("dashboard stopped")
        }

        let (width, height) = screen.size
        var pending: [Action] = [.resize(width: width, height: height)]
        var dirty = true
        var lastFrame: ContinuousClock.Instant?
        // The start counts as input: the first answers are drawn as they come.
        var redraw = RedrawPolicy(watchedSince: .now)
        // Draws what `view` draws, redrawing only the panes whose drawing changed.
        var renderer = ScreenRenderer()
        // Whether the terminal shows the renderer's last frame, so only the rows it wrote since
        // need comparing.
        var drewLastFrame = false
        var lastSecond = 0
        var logFailureShown = false
        let frameInterval = Duration.seconds(1) / framesPerSecond
        while true {
            if let signal = screen.pendingSignal() { return 128 + signal }
            while let event = screen.nextEvent() {
                switch event {
                case .key(let key): pending.append(.key(key))
                case .resize(let width, let height): pending.append(.resize(width: width, height: height))
                case .mouse(let event): pending.append(.mouse(event))
                }
            }
            pending += inbox.drain()
            if !logFailureShown, let failure = options.logFile?.failure {
                // The log stopped (disk full, closed pipe): say so once; the dashboard goes on.
                pending.append(.notice(failure))
                logFailureShown = true
            }
            let now = Date()
            let second = Int(now.timeIntervalSince1970.rounded(.down))
            let newSecond = second != lastSecond
            if !pending.isEmpty || newSecond {
                lastSecond = second
                if redraw.drawsNow(pending, newSecond: newSecond, at: .now) { dirty = true }
                // Time reaches `update` only as an action, before what happened at that time.
                pending.insert(.tick(now), at: 0)
                for action in pending {
                    if case .poll(let result) = action, case .failure(let error) = result.outcome {
                        logger.warning("\(EventText.placeName(result.target, pipelines: state.pipelines)): \(error)")
                    }
                    for effect in update(&state, action) {
                        switch EffectRouter.route(effect) {
                        case .loop(.quit): return ExitStatus.ok
                        case .loop(.bell): screen.bell()
                        case .loop(.notify(let text)):
                            notifier.send(text)
                            logger.info("notified: \(text)")
                        case .session(let command): runner.send(command)
                        }
                    }
                }
                pending = []
                // Nobody at the keyboard: answers wait in the inbox for the next tick.
                inbox.setQuiet(!redraw.watchedClosely(at: .now))
            }
            var frameWait: Duration?
            if dirty {
                let elapsed = lastFrame.map { $0.duration(to: .now) } ?? frameInterval
                if elapsed >= frameInterval {
                    let frame = renderer.render(state)
                    drewLastFrame = screen.draw(frame, changedRows: drewLastFrame ? renderer.writtenRows : nil)
                    if !drewLastFrame {
                        // The terminal's size changed without a resize event reaching us: take
                        // it from curses (once per size, so a frame that cannot match never spins).
                        let (width, height) = screen.size
                        if width != frame.width || height != frame.height, width != state.width || height != state.height {
                            pending.append(.resize(width: width, height: height))
                        }
                    }
                    lastFrame = .now
                    dirty = false
                } else {
                    frameWait = frameInterval - elapsed
                }
            }
            // Until the next whole second (the tick that moves ages and countdowns on), or sooner
            // for a frame the rate limit held back.
            let fraction = now.timeIntervalSince1970 - now.timeIntervalSince1970.rounded(.down)
            let tickWait = Duration.milliseconds(Int((1 - fraction) * 1000) + 1)
            screen.wait(wake: wake, timeout: pending.isEmpty ? frameWait.map { min($0, tickWait) } ?? tickWait : .zero)
        }
    }
}
