import Testing
@testable import RegDB

@Suite struct JSONParserTests {
    private func error(_ text: String) -> JSONSyntaxError? {
        do {
            _ = try JSONParser.parse(text)
            return nil
        } catch {
            return error
        }
    }

    @Test func keepsKeyOrderAndTypes() throws {
        let value = try JSONParser.parse(#"{"b": 1, "a": [true, null, 2.5, "x"], "c": {"z": -3}}"#)
        #expect(value.jsonText == #"{"b":1,"a":[true,null,2.5,"x"],"c":{"z":-3}}"#)
        #expect(value["b"] == .integer(1))
        #expect(value["a"] == .array([.bool(true), .null, .number(2.5), .string("x")]))
    }

    @Test func compactTextEscapesAndRoundTrips() throws {
        let value = JSONValue.object([("k\"ey", .string("a\"b\\c\nd\te\r\u{01}é😀")), ("n", .array([.null, .bool(false), .number(0.5)]))])
        #expect(value.jsonText == #"{"k\"ey":"a\"b\\c\nd\te\r\u0001é😀","n":[null,false,0.5]}"#)
        #expect(try JSONParser.parse(value.jsonText) == value)
        #expect(try JSONParser.parse(value.prettyJSONText) == value)
    }

    @Test func integersBeyond64BitsBecomeDoubles() throws {
        #expect(try JSONParser.parse("18446744073709551616") == .number(18446744073709551616.0))
        #expect(try JSONParser.parse("9223372036854775807") == .integer(Int64.max))
        #expect(try JSONParser.parse("1.8446744073709552e+19") == .number(1.8446744073709552e+19))
    }

    @Test func decodesEscapesAndSurrogatePairs() throws {
        #expect(try JSONParser.parse(#""a\"b\\c\/\n\u00e9\ud83d\ude00""#) == .string("a\"b\\c/\né😀"))
    }

    @Test func duplicateKeyIsAnErrorAtItsPath() throws {
        let e = try #require(error(#"{"models": [{"id": "a", "id": "b"}]}"#))
        #expect(e.message == #"duplicate key "id""#)
        #expect(e.path.description == "$.models[0].id")
        #expect(e.line == 1)
    }

    /// A catalog-sized object (read in two halves on two cores) comes back whole and in
    /// order, whatever its strings hold where it is cut; a key in both halves and an error
    /// in the second half are reported as in any other file.
    @Test func aLargeObjectReadsAsOne() throws {
        // Members whose strings hold what the cut must not be fooled by: commas, braces, escaped quotes.
        let members = (0..<20_000).map { index -> (key: String, value: JSONValue) in
            ("k\(index)", .object([("text", .string("a, \"b\" {c} [d], \\ \(index)")), ("n", .array([.integer(Int64(index)), .null]))]))
        }
        let document = JSONValue.object(members)
        let text = document.prettyJSONText
        #expect(text.utf8.count > 1 << 20)
        #expect(try JSONParser.parse(text) == document)

        let twice = String(text.dropLast(2)) + ",\n  \"k5\": 1\n}"
        let duplicate = try #require(error(twice))
        #expect(duplicate.message == #"duplicate key "k5""#)
        #expect(duplicate.path.description == "$.k5")

        let lines = text.split(separator: "\n", omittingEmptySubsequences: false)
        var broken = lines
        broken[lines.count - 3] = "    \"n\": [1,, null]"
        let late = try #require(error(broken.joined(separator: "\n")))
        #expect(late.line == lines.count - 2)
        #expect(late.path.description.hasPrefix("$.k19999"))
    }

    @Test func truncatedInputNamesWhereItStopped() throws {
        let e = try #require(error("{\n  \"models\": [\n    {\"id\": \"a\""))
        #expect(e.message == "unexpected end of file; expected ',' or '}' in an object")
        #expect(e.path.description == "$.models[0]")
        #expect(e.line == 3)
    }

    @Test func emptyInputIsAnError() throws {
        #expect(error("")?.message == "the file is empty; expected a JSON value")
        #expect(error("  \n ")?.message == "the file is empty; expected a JSON value")
    }

    @Test func invalidUTF8IsRefusedWithItsOffset() throws {
        do {
            _ = try JSONParser.parse([0x7B, 0x22, 0x61, 0xFF, 0x22, 0x7D] as [UInt8])
            Issue.record("expected an error")
        } catch {
            #expect(error.message == "invalid UTF-8 (byte 0xFF at offset 3); seed files must be UTF-8")
        }
    }

    @Test func rejectsWhatRFC8259Rejects() throws {
        #expect(error("[1,]")?.message == "unexpected ']'; expected a value")
        #expect(error("{\"a\":1,}")?.message == "expected a string key, found '}'")
        #expect(error("01")?.message == "unexpected text after the JSON value")
        #expect(error("[1] x")?.message == "unexpected text after the JSON value")
        #expect(error("\"a\tb\"")?.message == "control character byte 0x9 in a string; escape it")
        #expect(error("nul")?.message == "invalid literal; expected null")
        #expect(error("1e999")?.message == "number 1e999 is out of range")
    }

    @Test func deepNestingIsAnErrorNotACrash() throws {
        let deep = String(repeating: "[", count: 100_000)
        #expect(error(deep)?.message == "nesting deeper than 256 levels")
    }

    @Test func pathsQuoteKeysThatAreNotIdentifiers() {
        let path = JSONPath([.key("models"), .index(2), .key("16:9"), .key("a b")])
        #expect(path.description == #"$.models[2]["16:9"]["a b"]"#)
    }
}

@Suite struct SHA256Tests {
    @Test func matchesKnownVectors() {
        #expect(SHA256.hex([]) == "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855")
        #expect(SHA256.hex(Array("abc".utf8)) == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad")
        #expect(SHA256.hex(Array("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq".utf8))
                == "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1")
        #expect(SHA256.hex([UInt8](repeating: 0x61, count: 1_000)) == "41edece42d63e8d9bf515a9ba6932e1c20cbc9f5a5d134645adb5db1b9737ea3")
    }
}
