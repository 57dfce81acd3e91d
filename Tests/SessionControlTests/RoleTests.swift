import SessionControl
import Testing

@Suite("Roles and effective limits")
struct RoleTests {
    @Test func zeroOrAbsentMeansUnlimited() throws {
        let role = try Role(name: "dev")
        #expect(role.connectionLimit == .unlimited)
        #expect(role.sessionLimit == .unlimited)
        #expect(try Role(name: "x", maxConnections: 0, maxSessions: 0).connectionLimit == .unlimited)
        #expect(Limit(configured: 0) == .unlimited)
        #expect(Limit(configured: 3) == .limited(3))
    }

    @Test func minimumOfNonZeroValuesPerOption() throws {
        let roles = [
            try Role(name: "a", maxConnections: 0, maxSessions: 5),
            try Role(name: "b", maxConnections: 3, maxSessions: 0),
            try Role(name: "c", maxConnections: 2, maxSessions: 7),
        ]
        let limits = EffectiveLimits(roles: roles)
        #expect(limits.maxConnections == .limited(2))
        #expect(limits.maxSessions == .limited(5))
        #expect(limits.needsSemaphore)
        #expect(limits.description == "max_connections=2 max_sessions=5")
    }

    @Test func orderOfRolesDoesNotMatter() throws {
        let roles = [
            try Role(name: "a", maxConnections: 4, maxSessions: 1),
            try Role(name: "b", maxConnections: 0, maxSessions: 9),
            try Role(name: "c", maxConnections: 6, maxSessions: 0),
        ]
        let expected = EffectiveLimits(roles: roles)
        #expect(EffectiveLimits(roles: roles.reversed()) == expected)
        #expect(EffectiveLimits(roles: [roles[1], roles[2], roles[0]]) == expected)
        #expect(expected == EffectiveLimits(maxConnections: .limited(4), maxSessions: .limited(1)))
    }

    @Test func allZeroOrNoRolesIsUnlimited() throws {
        let limits = EffectiveLimits(roles: [try Role(name: "a"), try Role(name: "b", maxConnections: 0)])
        #expect(limits == .unlimited)
        #expect(!limits.needsSemaphore)
        #expect(EffectiveLimits(roles: []) == .unlimited)
    }

    @Test func negativeLimitIsAConfigurationError() {
        let error = #expect(throws: ConfigurationError.self) { try Role(name: "bad", maxConnections: -1) }
        #expect(error?.code == .negativeLimit)
        #expect(error?.description.contains("max_connections") == true)
        let sessions = #expect(throws: ConfigurationError.self) { try Role(name: "bad", maxSessions: -2) }
        #expect(sessions?.description.contains("max_sessions") == true)
    }

    @Test func limitAdmitsBelowTheBoundOnly() {
        #expect(Limit.limited(2).admits(current: 1))
        #expect(!Limit.limited(2).admits(current: 2))
        #expect(Limit.unlimited.admits(current: .max))
        #expect(Limit.limited(2).maximum == 2)
        #expect(Limit.unlimited.maximum == nil)
        #expect(Limit.limited(5).tightened(by: .limited(3)) == .limited(3))
        #expect(Limit.unlimited.tightened(by: .limited(3)) == .limited(3))
        #expect(Limit.limited(3).tightened(by: .unlimited) == .limited(3))
    }
}
