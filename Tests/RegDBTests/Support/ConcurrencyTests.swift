import Foundation
import Testing
@testable import RegDB

@Suite struct ConcurrencyTests {
    @Test func concurrentMapKeepsOrder() {
        let items = Array(0..<5000)
        #expect(concurrentMap(items) { $0 * 3 } == items.map { $0 * 3 })
        #expect(concurrentMap([Int]()) { $0 } == [])
    }

    /// The first value is there before the last is made: the maker waits for a gate the
    /// reader opens only after reading value 0.
    @Test func sequencedGivesEachValueWhenMade() {
        let gate = DispatchSemaphore(value: 0)
        let values = Sequenced(count: 3) { index -> [Int] in
            if index == 1 { gate.wait() }
            return Array(repeating: index, count: index + 1)
        }
        #expect(values[0] == [0])
        gate.signal()
        #expect(values[2] == [2, 2, 2])
        #expect(values[1] == [1, 1])
        // Read again: still there.
        #expect(values[1] == [1, 1])
        #expect(values.count == 3)
    }

    @Test func pendingGivesItsValueOrError() throws {
        struct Failure: Error {}
        #expect(try Pending { 41 + 1 }.value() == 42)
        #expect(throws: Failure.self) { try Pending<Int> { throw Failure() }.value() }
    }
}
