import Foundation
import SWRAPI
import SWRWatch

/// The selected job: every field, its ETA, the stage's recent durations and the observed timeline.
enum DetailPane {
    static func render(_ state: AppState, jobs: [Job], into frame: inout Frame, rect: Rect) {
        guard let target = state.focusedTarget else { return }
        let job = jobs.isEmpty ? nil : jobs[state.selectedRow(in: jobs)]
        let inner = frame.box(rect, title: job.map { "job \($0.id)" } ?? "job", glyphs: state.glyphs)
        guard let job, inner.height > 0 else { return }
        let summary = state.store.summary(target, now: state.now)
        var lines: [(String, String, Style)] = [
            ("state", "\(state.glyphs.state(job.state)) \(job.state.displayName)" + (job.rawState != job.state.label && !job.rawState.isEmpty ? " (\(job.rawState))" : ""), Style(job.state.role, bold: true)),
            ("progress", job.progress.map { sent in (0...100).contains(sent) ? "\(sent)%" : "\(Format.percent(sent)) (sent \(sent))" } ?? "-", .plain),
            ("duration", Format.duration(job.duration), .plain),
        ]
        if summary.active?.id == job.id {
            let eta = summary.eta.flatMap { Checked.int($0.rounded()) }.map { "~" + Format.duration($0) } ?? (summary.isSlow ? "overdue" : "unknown")
            lines.append(("eta", eta, summary.isSlow ? Style(.warning, bold: true) : .accent))
        }
        lines += [
            ("usual", Format.duration(summary.usualDuration), .muted),
            ("created", job.createdAt.map { Format.clock($0, timeZone: state.timeZone) + " (\(Format.age($0, now: state.now)) ago)" } ?? "-", .plain),
            ("creator", job.creatorName ?? "-", .plain),
            ("resource", job.resource ?? "-", .plain),
            ("service", job.service ?? "-", .muted),
            ("logs", job.logCount.map { $0 >= 0 ? String($0) : "-" } ?? "-", .muted),
        ]
        let durations = state.store[target]?.jobs.prefix(30).reversed().compactMap { $0.state == .successful ? $0.duration : nil } ?? []
        if !durations.isEmpty {
            lines.append(("recent", Sparkline.render(Array(durations), width: max(1, inner.width - 10), glyphs: state.glyphs), Style(.success)))
        }
        var y = inner.y
        for (label, value, style) in lines where y < inner.maxY {
            frame.put(DisplayWidth.pad(label, to: 9), x: inner.x, y: y, style: .muted)
            frame.put(value, x: inner.x + 9, y: y, limit: inner.width - 9, style: style)
            y += 1
        }
        guard y + 2 < inner.maxY else { return }
        y += 1
        frame.put("observed", x: inner.x, y: y, style: Style(.muted, bold: true))
        y += 1
        let timeline = state.store.timeline(target, jobID: job.id)
        let room = max(0, inner.maxY - y)
        for observation in timeline.suffix(room) {
            let text = "\(Format.clock(observation.at, timeZone: state.timeZone)) \(DisplayWidth.pad(observation.state.displayName, to: 10)) \(DisplayWidth.pad(Format.percent(observation.progress), to: 4, alignRight: true)) \(Format.duration(observation.duration))"
            frame.put(text, x: inner.x, y: y, limit: inner.width, style: Style(observation.state.role))
            y += 1
        }
    }
}

/// The newest changes across all pipelines.
enum EventsPane {
    static func render(_ state: AppState, into frame: inout Frame, rect: Rect) {
        let inner = frame.box(rect, title: "events", glyphs: state.glyphs)
        guard inner.height > 0 else { return }
        let events = state.store.events.elements
        if events.isEmpty {
            frame.put("no changes yet", x: inner.x, y: inner.y, limit: inner.width, style: .muted)
            return
        }
        for (row, change) in events.reversed().prefix(inner.height).enumerated() {
            let text = "\(Format.clock(change.at, timeZone: state.timeZone)) " + EventText.describe(change, pipelines: state.pipelines, arrow: state.glyphs.arrow)
            frame.put(text, x: inner.x, y: inner.y + row, limit: inner.width, style: Style(EventText.role(change)))
        }
    }
}

/// Every pipeline × stage at once.
enum OverviewPane {
    static func render(_ state: AppState, into frame: inout Frame, rect: Rect) {
        let inner = frame.box(rect, title: "overview \(state.glyphs.separator) \(state.pipelines.count) pipelines", glyphs: state.glyphs)
        guard inner.height > 0 else { return }
        let nameWidth = min(22, max(8, state.pipelines.map { DisplayWidth.of($0.name, upTo: 16) }.max() ?? 8) + 6)
        let top = Scrolling.offset(selection: state.pipelineIndex, count: state.pipelines.count, height: inner.height, current: 0)
        // The run's status word and time, when any pipeline detail has been read.
        let showsRuns = !state.pipelineStatuses.isEmpty && inner.width >= 70
        let runWidth = 16
        for (row, pipeline) in state.pipelines.dropFirst(top).prefix(inner.height).enumerated() {
            let y = inner.y + row
            let index = top + row
            let running = StageLook.runningStage(state, pipeline: pipeline)
            let name = "\(index + 1) \(pipeline.name)"
            frame.put(DisplayWidth.pad(name, to: nameWidth), x: inner.x, y: y, limit: nameWidth, style: index == state.pipelineIndex ? Style(.selection, bold: true, reverse: true) : .plain)
            var x = inner.x + nameWidth + 1
            if showsRuns {
                let run = state.pipelineStatuses[pipeline.id]
                let text = run.map { StageLook.runText($0, now: state.now) } ?? ""
                let role = run.map { StageLook.jobState(ofStatus: $0.status.lowercased()).role } ?? .muted
                frame.put(DisplayWidth.pad(text, to: runWidth), x: x, y: y, limit: runWidth, style: Style(role))
                x += runWidth + 1
            }
            for stage in pipeline.stages {
                let look = StageLook(state, pipeline: pipeline, stage: stage)
                let summary = look.summary
                var text = (look.state.map(state.glyphs.state) ?? " ") + " " + stage.name
                if look.isPending { text += " pending" } else if summary.state == .building { text += " " + Format.percent(summary.progress) }
                if summary.isStale { text += "!" }
                guard DisplayWidth.of(text, upTo: inner.maxX - x) < inner.maxX - x else {
                    frame.put(state.glyphs.ellipsis, x: min(x, inner.maxX - 1), y: y, style: .muted)
                    break
                }
                let style = look.isPending ? Style.muted : Style(look.state?.role ?? .muted, bold: stage.index == running)
                x += frame.put(text, x: x, y: y, style: style) + 2
            }
        }
    }
}

/// The key list, centred over everything.
enum HelpOverlay {
    static func render(_ state: AppState, into frame: inout Frame) {
        let lines = Keymap.help
        let width = min(frame.width - 2, 60)
        let height = min(frame.height - 2, lines.count + 4)
        guard width > 10, height > 3 else { return }
        let rect = Rect(x: (frame.width - width) / 2, y: (frame.height - height) / 2, width: width, height: height)
        frame.fill(rect)
        let inner = frame.box(rect, title: "keys", titleStyle: .accent, border: .accent, glyphs: state.glyphs)
        for (row, entry) in lines.prefix(inner.height - 1).enumerated() {
            frame.put(DisplayWidth.pad(entry.keys, to: 15), x: inner.x + 1, y: inner.y + row, style: Style(.accent, bold: true))
            frame.put(entry.meaning, x: inner.x + 17, y: inner.y + row, limit: inner.width - 18)
        }
        frame.put("any key closes", x: inner.x + 1, y: inner.maxY - 1, limit: inner.width - 2, style: .muted)
    }
}
