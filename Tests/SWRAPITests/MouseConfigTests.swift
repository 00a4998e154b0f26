import Testing
@testable import SWRAPI

/// Config `"mouse"`: true or false; anything else names the key.
@Suite struct MouseConfigTests {
    func parse(_ value: String?) throws(ConfigError) -> Config {
        let mouse = value.map { #", "mouse": \#($0)"# } ?? ""
        return try ConfigParser.parse(Array(#"{"endpoint": "https://swr.example.com"\#(mouse)}"#.utf8), file: "c.json")
    }

    @Test func trueFalseOrAbsent() throws {
        #expect(try parse("false").mouse == false)
        #expect(try parse("true").mouse == true)
        #expect(try parse(nil).mouse == nil)
        #expect(try parse("null").mouse == nil)
    }

    @Test(arguments: ["0", "\"no\"", "{}", "[]"])
    func otherValuesNameTheKey(_ value: String) {
        #expect {
            _ = try parse(value)
        } throws: { error in
            (error as? ConfigError)?.key == "mouse" && "\(error)".contains("true or false")
        }
    }
}
