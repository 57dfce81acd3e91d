import Scenario
import Testing

@Suite("Names and references")
struct ReferenceTests {
    @Test("undefined nodes, users, roles, handles and hosts are reported with suggestions")
    func undefinedNames() {
        #expect(found("""
            name: test
            duration: 10m
            cluster:
              nodes: [node-1, node-2]
            roles:
              limited: { max_connections: 2 }
            users:
              alice: { roles: [limited] }
              bob: { roles: [limted] }
            script:
              - { at: 0s, user: alice, connect: node-3, as: a1 }
              - { at: 1s, user: carol, connect: node-1 }
              - { at: 2s, disconnect: a2 }
              - { at: 3s, open_sessions: { conn: b1 } }
            faults:
              - { at: 1m, crash: auth-2 }
              - { at: 1m, partition: [[node-1], [proxy-9]] }
              - { at: 1m, delete_semaphore: dave }
            """) == [
            Found(9, 18, "undefined role 'limted'; did you mean 'limited'?"),
            Found(11, 37, "undefined node 'node-3'; did you mean 'node-1'?"),
            Found(12, 21, "undefined user 'carol'"),
            Found(13, 27, "undefined connection handle 'a2'; did you mean 'a1'?; define it with 'as:' on a "
                  + "connect step"),
            Found(14, 38, "undefined connection handle 'b1'; did you mean 'a1'?; define it with 'as:' on a "
                  + "connect step"),
            Found(16, 22, "undefined host 'auth-2'; did you mean 'auth-1'?"),
            Found(17, 38, "undefined host 'proxy-9'; did you mean 'proxy-1'?"),
            Found(18, 33, "undefined user 'dave'"),
        ])
    }

    @Test("names defined twice are reported at the second definition")
    func duplicateNames() {
        #expect(found("""
            name: test
            duration: 10m
            cluster:
              auth: { count: 2 }
              nodes:
                - node-1
                - { name: auth-2 }
                - { name: node-1, kind: openssh }
            users:
              ci: { count: 20, prefix: ci- }
              ci-3: {}
              more: { count: 5, prefix: ci-1 }
            script:
              - { at: 0s, user: ci-1, connect: node-1, as: h }
              - { at: 1s, user: ci-2, connect: node-1, as: h }
            load:
              - { name: l, users: ci, concurrency: 1 }
              - { name: l, users: ci, concurrency: 2 }
            """) == [
            Found(7, 15, "node name 'auth-2' is already the name of an auth host"),
            Found(8, 15, "node 'node-1' is defined twice (first at line 6, column 7)"),
            Found(11, 3, "user 'ci-3' is defined twice: group 'ci' also defines it (ci-1…ci-20)"),
            Found(12, 3, "group 'more' defines users that group 'ci' also defines, like 'ci-11'"),
            Found(15, 48, "handle 'h' is defined twice (first at line 14, column 48)"),
            Found(18, 13, "load entry 'l' is defined twice (first at line 17, column 13)"),
        ])
    }

    @Test("a generated group that cannot overlap another is accepted")
    func disjointGroups() throws {
        let scenario = try #require(parseValid("""
            name: test
            duration: 1m
            cluster: { nodes: [n] }
            users:
              ci: { count: 9, prefix: ci- }
              big: { count: 5, prefix: ci-1 }
              zero: { count: 5, prefix: ci-0 }
            """))
        #expect(scenario.users.map(\.memberCount) == [9, 5, 5])
        #expect(scenario.userDefinition(forUser: "ci-13")?.name.value == "big")
        #expect(scenario.userDefinition(forUser: "ci-9")?.name.value == "ci")
        #expect(scenario.userDefinition(forUser: "ci-05")?.name.value == "zero")
    }

    @Test("a handle must be defined by an earlier connect step")
    func handleOrder() {
        #expect(found(minimalScenario + """
            script:
              - { at: 5s, disconnect: a1 }
              - { at: 10s, user: alice, connect: node-1, as: a1 }
            """) == [
            Found(10, 27, "handle 'a1' is used at 5s before the connect step that defines it (at 10s, line 11)"),
        ])
        #expect(parseValid(minimalScenario + """
            script:
              - { at: 10s, disconnect: a1 }
              - { at: 5s, user: alice, connect: node-1, as: a1 }
            """) != nil)
    }

    @Test("groups are accepted where several users are, and rejected where one user is needed")
    func groupsVersusUsers() {
        #expect(found(minimalScenario + """
              ci: { count: 3 }
            script:
              - { at: 0s, user: ci, connect: node-1 }
              - { at: 0s, user: ci-4, connect: node-1 }
            faults:
              - { at: 0s, delete_semaphore: ci }
            expect:
              'connections_accepted{user:ci}': ['>= 1']
            """) == [
            Found(11, 21, "'ci' is a group of 3 users; a connect step needs one user, like 'ci-1'"),
            Found(12, 21, "undefined user 'ci-4'; group 'ci' defines ci-1…ci-3"),
            Found(14, 33, "'ci' is a group; delete_semaphore needs one user, like 'ci-1'"),
            Found(16, 30, "'ci' is a group; the tag 'user' takes one user name, like 'ci-1'"),
        ])
    }

    @Test("script steps, faults and arrivals after 'duration' are errors")
    func afterDuration() {
        #expect(found(minimalScenario + """
            script:
              - { at: 10m, user: alice, connect: node-1 }
              - { at: 11m, user: alice, connect: node-1 }
            load:
              - name: late
                users: alice
                arrival: { rate: 1/s, from: 1m, until: 1h }
              - name: ramp
                users: alice
                arrival: { stages: [{ rate: 1/s, for: 9m }, { rate: 2/s, for: 2m }] }
            faults:
              - { at: 20m, crash: node-1 }
            """) == [
            Found(11, 11, "script step at 11m is after the end of 'duration' (10m)"),
            Found(15, 44, "arrival 'until' at 1h is after the end of 'duration' (10m)"),
            Found(18, 24, "the stages end at 11m, after the end of 'duration' (10m)"),
            Found(20, 11, "fault at 20m is after the end of 'duration' (10m)"),
        ])
    }

    @Test("metric selectors name known metrics, tags and values")
    func selectors() {
        #expect(found(minimalScenario + """
            expect:
              'conections_rejected': ['== 1']
              'connections_rejected{usr:alice}': ['== 1']
              'connections_rejected{reason:max_conn}': ['== 1']
              'connections_closed{node:node-9}': ['== 1']
              'upload_parts{user:alice}': ['== 1']
              'connections_rejected{user:alice': ['== 1']
              sessions_rejected: ['max == 1', '== 1s', '=! 1']
              lease_expiry_lag: ['<= 2m', 'p(99) <= 5MiB', 'count == 0']
            """) == [
            Found(10, 4, "unknown metric 'conections_rejected'; did you mean 'connections_rejected'?"),
            Found(11, 25, "unknown tag 'usr' for metric 'connections_rejected'; did you mean 'user'?; its tags are "
                  + "'user', 'node' or 'reason'"),
            Found(12, 32, "unknown reason 'max_conn'; did you mean 'max_connections'? (expected 'max_connections', "
                  + "'auth_unreachable', 'contention' or 'node_down')"),
            Found(13, 28, "undefined node 'node-9'; did you mean 'node-1'?"),
            Found(14, 17, "metric 'upload_parts' has no tags, found 'user'"),
            Found(15, 35, "expected '}' to close the tags of 'connections_rejected{user:alice'"),
            Found(16, 23, "'sessions_rejected' is a counter, so 'max' does not apply; write just '== 1'"),
            Found(16, 35, "'sessions_rejected' is a plain number; expected a value without a unit, found '1s'"),
            Found(16, 45, "expected a comparison (==, !=, <, <=, >, >=) in '=! 1', found '=! 1'; "
                  + "write '==' for equality"),
            Found(17, 22, "'lease_expiry_lag' is a histogram; name an aggregate before the comparison, like "
                  + "'max <= 2m' (count, min, max, avg or p(N))"),
            Found(17, 31, "'lease_expiry_lag' is measured in seconds; expected a duration like '2m' or a number, "
                  + "found '5MiB'"),
        ])
    }
}
