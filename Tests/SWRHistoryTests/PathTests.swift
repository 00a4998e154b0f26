import Testing
import SWRAPI
@testable import SWRHistory

@Suite struct PathTests {
    let home = "/home/ana"

    @Test func flagWinsOverEverything() {
        let path = HistoryPath.resolve(flag: "/data/h.sqlite", config: "/etc/x.sqlite", environment: ["XDG_STATE_HOME": "/state"], home: home)
        #expect(path == "/data/h.sqlite")
    }

    @Test func configWinsOverTheEnvironment() {
        #expect(HistoryPath.resolve(flag: nil, config: "/srv/h.sqlite", environment: ["XDG_STATE_HOME": "/state"], home: home) == "/srv/h.sqlite")
        #expect(HistoryPath.resolve(flag: nil, config: "~/h.sqlite", environment: [:], home: home) == "/home/ana/h.sqlite")
        #expect(HistoryPath.resolve(flag: "~/f.sqlite", config: nil, environment: [:], home: home) == "/home/ana/f.sqlite")
    }

    @Test func xdgStateHomeThenTheHomeFolder() {
        #expect(HistoryPath.resolve(flag: nil, config: nil, environment: ["XDG_STATE_HOME": "/state"], home: home) == "/state/swr-top/history.sqlite")
        #expect(HistoryPath.resolve(flag: nil, config: nil, environment: ["XDG_STATE_HOME": "/state/"], home: home) == "/state/swr-top/history.sqlite")
        #expect(HistoryPath.resolve(flag: nil, config: nil, environment: [:], home: home) == "/home/ana/.local/state/swr-top/history.sqlite")
        // Empty or relative values are ignored, as the XDG spec says.
        #expect(HistoryPath.resolve(flag: nil, config: nil, environment: ["XDG_STATE_HOME": ""], home: home) == "/home/ana/.local/state/swr-top/history.sqlite")
        #expect(HistoryPath.resolve(flag: nil, config: nil, environment: ["XDG_STATE_HOME": "state"], home: home) == "/home/ana/.local/state/swr-top/history.sqlite")
        // Empty flag and config mean "not given".
        #expect(HistoryPath.resolve(flag: "", config: "", environment: [:], home: home) == "/home/ana/.local/state/swr-top/history.sqlite")
    }

    @Test func theDemoHasItsOwnFileNextToTheRealOne() {
        #expect(HistoryPath.resolve(flag: nil, config: nil, environment: [:], home: home, demo: true) == "/home/ana/.local/state/swr-top/demo-history.sqlite")
        #expect(HistoryPath.resolve(flag: nil, config: nil, environment: ["XDG_STATE_HOME": "/state"], home: home, demo: true) == "/state/swr-top/demo-history.sqlite")
        #expect(HistoryPath.resolve(flag: nil, config: "/srv/h.sqlite", environment: [:], home: home, demo: true) == "/srv/demo-history.sqlite")
        #expect(HistoryPath.resolve(flag: nil, config: "h.sqlite", environment: [:], home: home, demo: true) == "./demo-history.sqlite")
        #expect(HistoryPath.resolve(flag: nil, config: "/h.sqlite", environment: [:], home: home, demo: true) == "/demo-history.sqlite")
        // An explicit --history is taken as given.
        #expect(HistoryPath.resolve(flag: "/tmp/x.sqlite", config: nil, environment: [:], home: home, demo: true) == "/tmp/x.sqlite")
    }

    @Test func settingsDefaultsAndRetention() {
        let settings = HistorySettings()
        #expect(settings.enabled && settings.path == nil && settings.keepDays == 90)
        #expect(settings.retention == 90 * 86_400)
        #expect(HistorySettings(keepDays: 0).retention == 86_400)
        #expect(HistorySettings(keepDays: Int.max).retention == 3650 * 86_400)
    }

    @Test func settingsFromTheConfigAndTheFlag() {
        #expect(HistorySettings(config: nil) == HistorySettings())
        #expect(HistorySettings(config: HistoryConfig(path: "/h.sqlite", keepDays: 30)) == HistorySettings(path: "/h.sqlite", keepDays: 30))
        #expect(HistorySettings(config: HistoryConfig(enabled: false)).enabled == false)
        #expect(HistorySettings(config: HistoryConfig(), noHistoryFlag: true).enabled == false)
        #expect(HistorySettings(config: nil, noHistoryFlag: true).enabled == false)
    }

    @Test func hostKeys() {
        #expect(HistoryHost.key(endpoint: "https://SWR-API.cn-north-4.myhuaweicloud.com") == "swr-api.cn-north-4.myhuaweicloud.com")
        #expect(HistoryHost.key(endpoint: "http://127.0.0.1:41234/v2") == "127.0.0.1")
        #expect(HistoryHost.key(endpoint: "https://user:s3cret@example.com:8443/x?token=abc") == "example.com")
        #expect(HistoryHost.key(endpoint: "http://[::1]:8080") == "[::1]" || HistoryHost.key(endpoint: "http://[::1]:8080") == "::1")
        #expect(HistoryHost.key(endpoint: "") == "unknown")
    }
}
