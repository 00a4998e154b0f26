import Testing
@testable import SWRAPI

/// The `history` key: a path and a retention, `false` for none, and clear errors otherwise.
@Suite struct HistoryConfigTests {
    func parse(_ history: String) throws(ConfigError) -> Config {
        try ConfigParser.parse(Array(#"{"endpoint": "https://swr.example.com", "history": \#(history)}"#.utf8), file: "c.json")
    }

    @Test func pathAndDays() throws {
        #expect(try parse(#"{"path": "/tmp/h.sqlite", "keep_days": 30}"#).history == HistoryConfig(enabled: true, path: "/tmp/h.sqlite", keepDays: 30))
        #expect(try parse("{}").history == HistoryConfig())
        #expect(try parse("false").history == HistoryConfig(enabled: false))
        #expect(try ConfigParser.parse(Array(#"{"endpoint": "https://swr.example.com"}"#.utf8), file: "c.json").history == nil)
    }

    @Test(arguments: [#"{"keep_days": 0}"#, #"{"keep_days": 3651}"#, #"{"keep_days": 1.5}"#, #"{"keep_days": "30"}"#,
                      #"{"path": ""}"#, #"{"path": 7}"#, #"{"size": 1}"#, #""yes""#])
    func badValuesNameTheKey(_ history: String) {
        #expect {
            _ = try parse(history)
        } throws: { error in
            (error as? ConfigError)?.key?.hasPrefix("history") == true
        }
    }
}
