import SWRAPI

extension SimService {
    /// The answer for a hostile fault. `reply` makes the normal answer, shaped when given a shaper.
    func hostileResponse(_ fault: HostileFault, _ request: SimRequest, number: Int, plan: FaultPlan,
                         reply: (HostileShaper?) -> SimResponse) -> SimResponse {
        var rng = SeededRandom(options.seed, 83, number)
        let json = [("Content-Type", "application/json;charset=UTF-8")]
        switch fault {
        case .extreme, .escape:
            return reply(HostileShaper(fault: fault, start: Int(rng.next() % 1000)))
        case .redirect:
            let status = [301, 302, 307, 308][Int(rng.next() % 4)]
            let location = trapOrigin + Self.uri(of: request)
            return .reply(status: status, headers: [("Location", location), ("Content-Type", "text/html")],
                          body: Array("<html><body>Moved to <a href=\"\(location)\">\(location)</a></body></html>".utf8))
        case .stall:
            let body = reply(nil).body
            let sent = body.isEmpty ? Array("[{\"id\":".utf8) : Array(body.prefix(max(1, body.count / 2)))
            return .stalled(status: 200, headers: json + [("Content-Length", String(max(body.count, sent.count) + 4096))],
                            sent: sent, holdSeconds: plan.stallSeconds)
        case .huge:
            return .streamed(status: 200, headers: json, body: HugeBody(element: hugeElement(), targetBytes: plan.hugeMebibytes << 20,
                                                                        declaresLength: rng.next() % 2 == 0))
        case .deep:
            return .reply(status: 200, headers: json, body: HostileValues.deepNesting)
        }
    }

    /// A real job, as the element a huge array repeats.
    private func hugeElement() -> [UInt8] {
        let pipeline = world.pipelines[0]
        let moment = SimMoment(timeline: timeline, wall: now())
        guard let job = world.jobs(pipeline: pipeline, stage: 0, at: moment.world).first else { return Array("{}".utf8) }
        return Array(options.wireFormat.encode(job, at: moment).serialized.utf8)
    }

    /// The path and query of `request` again (query keys sorted; values as they came).
    static func uri(of request: SimRequest) -> String {
        guard !request.query.isEmpty else { return request.path }
        return request.path + "?" + request.query.sorted { $0.key < $1.key }.map { $0.value.isEmpty ? $0.key : "\($0.key)=\($0.value)" }.joined(separator: "&")
    }
}
