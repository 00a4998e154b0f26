import Foundation
import Testing
@testable import SWRAPI
@testable import SWRWatch
@testable import SWRTopUI

/// Jobs, pipelines, logs and errors at the edges (numbers near the limits of `Int`, dates from
/// year 1 to 9999 and beyond, control characters, bidi overrides, 100k-character strings, wide
/// and combining text), decoded from hostile JSON and built directly, through the store, every
/// screen at random sizes (0×0 to 500×200) and random keys: never a trap, and never an unsafe
/// scalar in any cell. Seeded; `SWR_TOP_HOSTILE_COUNT=N` changes the number of cases.
@Suite struct HostileViewTests {
    static var count: Int {
        ProcessInfo.processInfo.environment["SWR_TOP_HOSTILE_COUNT"].flatMap(Int.init) ?? 120
    }

    static let start = Date(timeIntervalSince1970: 1_700_000_000)

    // MARK: Values at the edges

    static let ints: [Int] = [
        .min, .min + 1, -9_223_372_036_854_775_807, -5_000_000_000_000_000_000, -1_000_000, -101, -1, 0, 1, 37, 99, 100, 101, 250,
        315_360_000, 315_360_001, 4_294_967_296, 5_000_000_000_000_000_000, .max - 1, .max,
    ]

    static let dates: [Date] = [
        .distantPast, .distantFuture,
        Date(timeIntervalSinceReferenceDate: -63_113_904_000),  // year 1
        Date(timeIntervalSinceReferenceDate: 252_423_993_599),  // year 9999
        Date(timeIntervalSince1970: 0), start, start.addingTimeInterval(-1), start.addingTimeInterval(1),
        start.addingTimeInterval(-90_000), start.addingTimeInterval(3_600), start.addingTimeInterval(-4e9), start.addingTimeInterval(4e9),
        Date(timeIntervalSinceReferenceDate: 1e300), Date(timeIntervalSinceReferenceDate: -1e300),
        Date(timeIntervalSinceReferenceDate: .infinity), Date(timeIntervalSinceReferenceDate: -.infinity),
        Date(timeIntervalSinceReferenceDate: .nan),
    ]

    static let controls: String = {
        var scalars = String.UnicodeScalarView()
        for v in UInt32(0)...0x1F { scalars.append(Unicode.Scalar(v)!) }
        scalars.append(Unicode.Scalar(0x7F)!)
        for v in UInt32(0x80)...0x9F { scalars.append(Unicode.Scalar(v)!) }
        for v: UInt32 in [0x200E, 0x200F, 0x202A, 0x202B, 0x202C, 0x202D, 0x202E, 0x2066, 0x2067, 0x2068, 0x2069] { scalars.append(Unicode.Scalar(v)!) }
        return String(scalars)
    }()

    static let strings: [String] = [
        "", "ok", "build-2211", controls, "\u{1B}[2J\u{1B}[31mred\u{1B}]0;title\u{07}", "a\u{202E}gnp.exe", "\r\n", "tab\there", "\u{9B}31m", "\u{9D}0;x\u{9C}",
        "王小明 🚀", "👨‍👩‍👧‍👦🇨🇳", "e\u{301}\u{302}\u{303}", "\u{301}lead", "Z" + String(repeating: "\u{336}\u{35B}", count: 200),
        "\u{FFFD}\u{FFFD}", "\u{FEFF}\u{200B}\u{200D}", "한국어 ᄀᄀᄀ", "progress 5000000000000000000%",
    ]

    /// 100k-character strings: plain, wide, and full of controls.
    static let huge: [String] = [
        String(repeating: "x", count: 100_000), String(repeating: "王", count: 100_000), String(repeating: "a\u{1B}\u{85}", count: 33_000),
        String(repeating: "\u{301}", count: 100_000),
    ]

    /// A hostile string: one of `strings`, now and then a huge one.
    static func text(_ rng: inout SeededRandom) -> String {
        rng.next() % 32 == 0 ? pick(huge, &rng) : pick(strings, &rng)
    }

    static func maybeText(_ rng: inout SeededRandom) -> String? {
        rng.next() % 5 == 0 ? nil : text(&rng)
    }

    static func pick<T>(_ values: [T], _ rng: inout SeededRandom) -> T {
        values[Int(rng.next() % UInt64(values.count))]
    }

    /// One of `values`, or `nil` one time in five.
    static func maybe<T>(_ values: [T], _ rng: inout SeededRandom) -> T? {
        rng.next() % 5 == 0 ? nil : pick(values, &rng)
    }

    // MARK: Hostile JSON

    /// A JSON string literal: control characters as `\u00XX`, DEL, C1 and the rest raw.
    static func jsonString(_ text: String) -> String {
        var out = "\""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            default:
                if scalar.value < 0x20 {
                    out += "\\u00" + (scalar.value < 0x10 ? "0" : "") + String(scalar.value, radix: 16)
                } else {
                    out.unicodeScalars.append(scalar)
                }
            }
        }
        return out + "\""
    }

    static let jsonNumbers = [
        "\"5000000000000000000\"", "5000000000000000000", "-9223372036854775807", "-9223372036854775808", "9223372036854775807",
        "9223372036854775808", "\"-9223372036854775809\"", "99999999999999999999999", "\"1e300\"", "1e300", "-1e300", "1e309",
        "\"NaN\"", "\"Infinity\"", "\"-inf\"", "0", "-0", "\"-1\"", "63", "100", "101", "1.5", "\"12abc\"", "null", "true", "[]", "{}",
    ]

    static let jsonHuge: [String] = huge.map(jsonString)

    static func jsonText(_ rng: inout SeededRandom) -> String {
        rng.next() % 32 == 0 ? pick(jsonHuge, &rng) : pick(jsonStrings, &rng)
    }

    static let jsonStrings: [String] = strings.map(jsonString) + [
        "\"\\ud800\"", "\"\\udfff\"", "\"a\\ud800b\"", "\"\\ud800\\u0041\"", "\"\\u001b[31m\\u009b\\u202e\"", "\"\\u0000\"", "12", "null",
    ]

    static let jsonDates = [
        "\"0001-01-01T00:00:00Z\"", "\"9999-12-31T23:59:59.999999Z\"", "\"2023-11-14T22:13:20Z\"", "\"2023-11-14T22:13:20.5+14:00\"",
        "\"+275760-09-13T00:00:00Z\"", "\"-000001-01-01T00:00:00Z\"", "\"2023-02-30T25:61:61Z\"", "\"\\u001b\"", "\"1e300\"", "0", "null",
    ]

    static func jsonJob(_ index: Int, _ rng: inout SeededRandom) -> String {
        var members: [String] = []
        let id = rng.next() % 2 == 0 ? jsonText(&rng) : pick(["\(index)", "\"\(index)\"", "\(Int.max - index)", "\"-\(index)\""], &rng)
        if rng.next() % 8 != 0 { members.append("\"id\": " + id) }
        members.append("\"" + pick(["state", "status"], &rng) + "\": " + pick(["\"Building\"", "\"Successful\"", "\"Failed\"", "\"Waiting\"", "\"Timeout\"", "\"Cancel\""] + jsonStrings, &rng))
        members.append("\"progress\": " + pick(jsonNumbers, &rng))
        members.append("\"duration\": " + pick(jsonNumbers, &rng))
        members.append("\"log_num\": " + pick(jsonNumbers, &rng))
        members.append("\"created_at\": " + pick(jsonDates, &rng))
        for key in ["creator_name", "resource", "service", "resource_type"] where rng.next() % 3 != 0 {
            members.append("\"\(key)\": " + jsonText(&rng))
        }
        return "{" + members.joined(separator: ", ") + "}"
    }

    /// Jobs decoded from a hostile body (a body the decoder refuses gives none).
    static func decodedJobs(_ rng: inout SeededRandom) -> [Job] {
        let body = "[" + (0..<Int(rng.next() % 6)).map { jsonJob($0, &rng) }.joined(separator: ", ") + "]"
        var bytes = Array(body.utf8)
        if rng.next() % 10 == 0, !bytes.isEmpty {
            // Invalid UTF-8 inside the body.
            bytes.insert(pick([0xFF, 0xC0, 0x80, 0xED], &rng), at: Int(rng.next() % UInt64(bytes.count)))
        }
        return (try? Job.decodeList(bytes)) ?? []
    }

    // MARK: Directly built values

    static let states: [JobState] = [.waiting, .building, .successful, .failed, .timeout, .cancelled, .unknown(controls), .unknown(""), .unknown(String(repeating: "r", count: 5_000))]

    static func builtJob(_ index: Int, _ rng: inout SeededRandom) -> Job {
        Job(id: rng.next() % 4 == 0 ? text(&rng) : String(index), state: pick(states, &rng), rawState: maybeText(&rng),
            progress: maybe(ints, &rng), duration: maybe(ints, &rng),
            resource: maybeText(&rng), resourceType: maybeText(&rng), service: maybeText(&rng),
            creatorName: maybeText(&rng), createdAt: maybe(dates, &rng), logCount: maybe(ints, &rng))
    }

    static func jobs(_ rng: inout SeededRandom) -> [Job] {
        if rng.next() % 2 == 0 { return decodedJobs(&rng) }
        return (0..<Int(rng.next() % 7)).map { builtJob($0, &rng) }
    }

    static func error(_ rng: inout SeededRandom) -> SWRError {
        switch rng.next() % 6 {
        case 0: return .server(status: pick(ints, &rng), message: maybeText(&rng))
        case 1: return .unauthorized(message: maybeText(&rng))
        case 2: return .rateLimited(retryAfter: maybe([1e300, -1e300, .infinity, .nan, 3, 0], &rng), message: maybeText(&rng))
        case 3: return .redirect(status: pick(ints, &rng), location: maybeText(&rng))
        case 4: return .decoding(text(&rng))
        default: return .timeout
        }
    }

    static func pipelines(_ rng: inout SeededRandom) -> [PipelineInfo] {
        (0..<(1 + Int(rng.next() % 3))).map { p in
            PipelineInfo(id: rng.next() % 4 == 0 ? pick(ints, &rng) : p + 1, name: text(&rng),
                         stages: (0..<(1 + Int(rng.next() % 4))).map { s in StageInfo(index: rng.next() % 5 == 0 ? pick(ints, &rng) : s, name: text(&rng)) })
        }
    }

    static func status(_ rng: inout SeededRandom) -> PipelineStatus {
        let words = ["running", "success", "waiting", "stage_exception", "", "cancel"] + strings.prefix(6)
        return PipelineStatus(status: pick(words, &rng), stageIndex: maybe(ints, &rng),
                              startTime: maybe(dates, &rng), endTime: maybe(dates, &rng),
                              stages: (0..<Int(rng.next() % 5)).map { _ in
                                  StageStatus(status: pick(words, &rng), startTime: maybe(dates, &rng), endTime: maybe(dates, &rng))
                              })
    }

    static func logLine(_ rng: inout SeededRandom) -> JobLog.Line {
        JobLog.Line(kind: pick([.phase, .content, .raw, .note], &rng), message: rng.next() % 3 == 0 ? pick(["needle here", "NEEDLE é"], &rng) : text(&rng),
                    time: maybe(dates, &rng), state: maybeText(&rng), progress: maybe(ints, &rng))
    }

    static func pipeline(_ rng: inout SeededRandom) -> Pipeline {
        Pipeline(id: pick(ints, &rng), name: text(&rng), groupName: maybeText(&rng),
                 stages: (0..<Int(rng.next() % 3)).map { PipelineStage(index: rng.next() % 3 == 0 ? pick(ints, &rng) : $0, name: text(&rng)) },
                 status: rng.next() % 2 == 0 ? status(&rng) : nil)
    }

    // MARK: Driving

    static let keys: [Key] = [.up, .down, .left, .right, .pageUp, .pageDown, .home, .end, .tab, .backTab, .enter, .escape, .backspace]
        + "lPo/nNgGjk []12sr?a4-e".map { Key.char($0) } + [.char("\u{1B}"), .char("\u{202E}"), .char("\u{85}"), .char("王"), .char("\r\n")]

    static func randomAction(_ state: AppState, at now: Date, _ rng: inout SeededRandom) -> Action {
        switch rng.next() % 10 {
        case 0, 1, 2:
            return .key(pick(keys, &rng))
        case 3, 4:
            let targets = state.allTargets
            let target = targets.isEmpty ? Target(pipeline: 1, stage: 0) : pick(targets, &rng)
            let ended = rng.next() % 6 == 0 ? pick(dates, &rng) : now
            return .poll(PollResult(target: target, outcome: rng.next() % 5 == 0 ? .failure(error(&rng)) : .success(jobs(&rng)),
                                    startedAt: ended, endedAt: ended, nextPollAt: pick(dates, &rng)))
        case 5:
            let key = state.logView?.key ?? JobRef(target: Target(pipeline: 1, stage: 0), jobID: "0")
            let log = JobLog(job: rng.next() % 2 == 0 ? builtJob(0, &rng) : nil, lines: (0..<Int(rng.next() % 8)).map { _ in logLine(&rng) },
                             undecodedEntries: pick(ints, &rng))
            return .log(key, rng.next() % 6 == 0 ? .failure(error(&rng)) : .success(log))
        case 6:
            let offset = rng.next() % 2 == 0 ? (state.picker?.nextOffset ?? 0) : pick(ints, &rng)
            let page = (0..<Int(rng.next() % 5)).map { _ in pipeline(&rng) }
            return .pipelinePage(rng.next() % 7 == 0 ? .failure(error(&rng))
                                 : .success(PipelinePage(offset: offset, pipelines: page, count: rng.next() % 2 == 0 ? page.count : pick(ints, &rng), total: maybe(ints, &rng))))
        case 7:
            let id = state.pipelines.isEmpty ? 1 : pick(state.pipelines, &rng).id
            return .pipelineDetail(id: id, .success(Pipeline(id: id, name: text(&rng), stages: [], status: status(&rng))))
        default:
            return .tick(rng.next() % 4 == 0 ? pick(dates, &rng) : now)
        }
    }

    static func size(_ rng: inout SeededRandom) -> (width: Int, height: Int) {
        switch rng.next() % 8 {
        case 0: return pick([(0, 0), (1, 1), (19, 4), (20, 5), (500, 200), (2, 40), (300, 3)], &rng)
        case 1: return (Int(rng.next() % 501), Int(rng.next() % 201))
        case 2: return (Int(rng.next() % 30), Int(rng.next() % 12))
        default: return (20 + Int(rng.next() % 140), 5 + Int(rng.next() % 45))
        }
    }

    /// Every screen of `state`: the dashboard (narrow and wide, with and without the detail
    /// pane), overview, help, logs, picker, filter typing and each sort order.
    static func screens(of state: AppState, _ rng: inout SeededRandom) -> [AppState] {
        var base = state
        base.showHelp = false
        base.showOverview = false
        base.logView = nil
        base.picker = nil
        base.isEditingFilter = false
        var out = [base]
        var detail = base
        detail.showDetail = true
        detail.selectedJobID = state.visibleJobs.isEmpty ? nil : pick(state.visibleJobs, &rng).id
        out.append(detail)
        var overview = base
        overview.showOverview = true
        out.append(overview)
        var help = base
        help.showHelp = true
        out.append(help)
        var logs = base
        if let log = state.logView {
            logs.logView = log
        } else {
            var log = LogView(key: JobRef(target: state.focusedTarget ?? Target(pipeline: 1, stage: 0), jobID: "0"), title: text(&rng))
            _ = log.receive(.success(JobLog(job: builtJob(0, &rng), lines: (0..<Int(rng.next() % 30)).map { _ in logLine(&rng) }, undecodedEntries: pick(ints, &rng))))
            log.search = pick(["needle", "é", "\u{1B}", "王", ""], &rng)
            log.match = log.matchingLines.first
            log.column = pick([0, 8, 1_000, 99_999], &rng)
            logs.logView = log
        }
        out.append(logs)
        var picker = base
        if let existing = state.picker {
            picker.picker = existing
        } else {
            var fresh = PipelinePicker()
            _ = fresh.receive(.success(PipelinePage(offset: 0, pipelines: (0..<Int(rng.next() % 12)).map { _ in pipeline(&rng) }, count: 20, total: maybe(ints, &rng))))
            fresh.filter = pick(["", "a", "\u{202E}", "9"], &rng)
            picker.picker = fresh
        }
        out.append(picker)
        var filtering = base
        filtering.isEditingFilter = true
        filtering.filter = pick(strings.prefix(12).map { $0 }, &rng)
        out.append(filtering)
        for order in SortOrder.allCases {
            var sorted = base
            sorted.sort = order
            sorted.filter = rng.next() % 3 == 0 ? "1" : ""
            out.append(sorted)
        }
        return out
    }

    /// Renders and checks one frame: every cell takes the columns it declares and holds no
    /// unsafe scalar (`frameProblems`); the first half of a wide glyph goes to `halfWide`
    /// (one report for the whole run, not one per frame).
    static func check(_ state: AppState, width: Int, height: Int, case n: Int, halfWide: inout String?) -> Bool {
        var state = state
        _ = update(&state, .resize(width: width, height: height))
        let frame = view(state, width: width, height: height)
        let problems = frameProblems(frame, safety: true)
        if halfWide == nil, let known = problems.halfWide { halfWide = "case \(n) at \(width)×\(height): \(known)" }
        if let problem = problems.other {
            Issue.record("case \(n) at \(width)×\(height): \(problem)")
            return false
        }
        return true
    }

    @Test func hostileDataNeverTrapsAndNeverReachesTheScreen() {
        var rng = SeededRandom(seed: 13_013)
        var frames = 0
        var halfWide: String?
        defer { expectNoHalfWideGlyph(halfWide) }
        for n in 0..<Self.count {
            var state = AppState(pipelines: Self.pipelines(&rng), now: Self.start, endpointHost: Self.pick(Self.strings, &rng),
                                 glyphs: rng.next() % 4 == 0 ? .ascii : .unicode)
            state.timeZone = Self.pick([TimeZone(identifier: "UTC")!, TimeZone(identifier: "Asia/Shanghai")!, TimeZone(secondsFromGMT: -50_400)!], &rng)
            if rng.next() % 8 == 0 { state.pipelineIndex = Self.pick(Self.ints, &rng) }
            if rng.next() % 8 == 0 { state.stageIndex = Self.pick(Self.ints, &rng) }
            if rng.next() % 8 == 0 { state.scroll = Self.pick(Self.ints, &rng) }
            if rng.next() % 8 == 0 { state.pageRows = Self.pick(Self.ints, &rng) }
            // Every stage gets hostile jobs (twice, so the store diffs and builds timelines).
            for target in state.allTargets {
                for round in 0..<2 {
                    let at = Self.start.addingTimeInterval(Double(round) - 2)
                    _ = update(&state, .poll(PollResult(target: target, outcome: .success(Self.jobs(&rng)), startedAt: at, endedAt: at, nextPollAt: at.addingTimeInterval(3))))
                }
            }
            if rng.next() % 2 == 0, let id = state.pipelines.first?.id {
                _ = update(&state, .pipelineDetail(id: id, .success(Pipeline(id: id, name: "x", stages: [], status: Self.status(&rng)))))
            }
            for screen in Self.screens(of: state, &rng) {
                let (width, height) = Self.size(&rng)
                guard Self.check(screen, width: width, height: height, case: n, halfWide: &halfWide) else { return }
                frames += 1
            }
            // Random actions (keys, hostile polls, logs, picker pages, ticks) through update.
            for step in 0..<12 {
                let action = Self.randomAction(state, at: Self.start.addingTimeInterval(Double(step)), &rng)
                _ = update(&state, action)
                if step % 3 == 2 {
                    let (width, height) = Self.size(&rng)
                    guard Self.check(state, width: width, height: height, case: n, halfWide: &halfWide) else { return }
                    frames += 1
                }
            }
        }
        #expect(frames > Self.count * 10)
    }

    /// The widgets and formatters on their own, with every edge value.
    @Test func widgetsTakeAnyNumber() {
        for value in Self.ints {
            for width in [Int.min, -1, 0, 1, 2, 3, 16, 500, 100_000] {
                for glyphs in [Glyphs.unicode, .ascii] {
                    let bar = ProgressBar.render(value, width: width, glyphs: glyphs)
                    #expect(DisplayWidth.of(bar) == min(max(0, width), 4_096), "progress \(value) width \(width)")
                    _ = Sparkline.render([value, 0, .max, .min, value], width: width, glyphs: glyphs)
                }
            }
            _ = Format.duration(value)
            _ = Format.percent(value)
            #expect(DisplayWidth.of(Format.duration(value)) <= 6, "duration \(value)")
            _ = Scrolling.offset(selection: value, count: max(0, value), height: value, current: value)
            _ = DisplayWidth.pad("x", to: value)
            _ = DisplayWidth.truncate("x", to: value)
        }
        for date in Self.dates {
            for now in Self.dates {
                let age = Format.age(date, now: now)
                #expect(DisplayWidth.of(age) <= 4, "age of \(date) at \(now): \(age)")
            }
            #expect(DisplayWidth.of(Format.clock(date, timeZone: TimeZone(identifier: "UTC")!)) == 8)
        }
    }
}
