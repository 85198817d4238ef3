import Foundation
import Testing
@testable import RegDB

@Suite struct ClockTests {
    /// The same text Foundation's ISO 8601 formatter gives, which the registry has always stored.
    @Test func timestampIsISO8601UTC() {
        for seconds in [0.0, 951_782_400.9, 1_796_055_307, 4_102_444_799] {
            let date = Date(timeIntervalSince1970: seconds)
            #expect(Registry.timestamp(date) == ISO8601DateFormatter().string(from: date))
        }
        #expect(Registry.timestamp(Date(timeIntervalSince1970: 1_796_055_307)) == "2026-11-30T16:15:07Z")
    }
}
