import Prometheus

/// Carries `MetricUpdate`s out on a swift-prometheus registry, which writes the exposition.
/// Keeps each series' handle, so a gauge that goes (`remove`) can be unregistered.
struct PrometheusSink: Sendable {
    let registry: PrometheusCollectorRegistry
    private var gauges: [SeriesKey: Gauge] = [:]
    private var counters: [SeriesKey: Counter] = [:]
    private var histograms: [SeriesKey: ValueHistogram] = [:]

    private struct SeriesKey: Hashable {
        var family: MetricFamily
        var labels: [Label]
    }

    init(registry: PrometheusCollectorRegistry = PrometheusCollectorRegistry()) {
        self.registry = registry
    }

    mutating func apply(_ updates: [MetricUpdate]) {
        for update in updates { apply(update) }
    }

    mutating func apply(_ update: MetricUpdate) {
        switch update {
        case .set(let family, let labels, let value):
            let key = SeriesKey(family: family, labels: labels)
            let gauge = gauges[key] ?? {
                let made = registry.makeGauge(descriptor: Self.descriptor(family), labels: Self.pairs(labels))
                gauges[key] = made
                return made
            }()
            gauge.set(value.isFinite ? value : 0)
        case .remove(let family, let labels):
            if let gauge = gauges.removeValue(forKey: SeriesKey(family: family, labels: labels)) {
                registry.unregisterGauge(gauge)
            }
        case .add(let family, let labels, let amount):
            let key = SeriesKey(family: family, labels: labels)
            let counter = counters[key] ?? {
                let made = registry.makeCounter(descriptor: Self.descriptor(family), labels: Self.pairs(labels))
                counters[key] = made
                return made
            }()
            counter.increment(by: Int64(max(0, amount)))
        case .observe(let family, let labels, let value):
            let key = SeriesKey(family: family, labels: labels)
            let histogram = histograms[key] ?? {
                let made = registry.makeValueHistogram(descriptor: Self.descriptor(family), labels: Self.pairs(labels), buckets: family.buckets)
                histograms[key] = made
                return made
            }()
            histogram.record(value.isFinite ? value : 0)
        }
    }

    /// How many series are registered (for the cardinality tests).
    var seriesCount: Int { gauges.count + counters.count + histograms.count }

    /// The exposition in the Prometheus text format (version 0.0.4).
    func exposition() -> [UInt8] {
        var buffer: [UInt8] = []
        buffer.reserveCapacity(seriesCount * 128)
        registry.emit(into: &buffer)
        return buffer
    }

    static func descriptor(_ family: MetricFamily) -> MetricNameDescriptor {
        MetricNameDescriptor(metricName: family.name, unitName: "", helpText: family.help)
    }

    static func pairs(_ labels: [Label]) -> [(String, String)] {
        labels.map { ($0.name, $0.value) }
    }
}
