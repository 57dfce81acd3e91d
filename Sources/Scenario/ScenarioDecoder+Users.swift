import Yams

extension ScenarioDecoder {
    /// Largest number of users one generated group may define.
    static let maximumGeneratedUsers = 1_000_000

    /// Decodes `roles:` — role name → `{max_connections, max_sessions}`.
    func decodeRoles(_ node: Node) -> [Role] {
        guard let entries = pairs(node, expected: "a mapping of role names to their limits") else { return [] }
        var roles: [Role] = []
        for entry in entries {
            guard let name = name(entry.keyNode, expected: "a role name"),
                  let fields = self.fields(
                      entry.value, in: "role '\(entry.key)'", allowed: ["max_connections", "max_sessions"])
            else { continue }
            let limit = { (key: String) -> Located<Int> in
                fields[key].flatMap { self.integer($0, noun: "a limit", in: 0...1_000_000) }
                    ?? Located(0, at: fields.location)
            }
            roles.append(Role(name: name, maxConnections: limit("max_connections"), maxSessions: limit("max_sessions")))
        }
        return roles
    }

    /// Decodes `users:` — user name → `{roles, client}` or group name → `{count, prefix, roles, client}`.
    func decodeUsers(_ node: Node, roles: [Role]) -> [UserDefinition] {
        guard let entries = pairs(node, expected: "a mapping of user names to their settings") else { return [] }
        let roleNames = roles.map(\.name.value)
        var users: [UserDefinition] = []
        for entry in entries {
            guard let name = name(entry.keyNode, expected: "a user name"),
                  let fields = self.fields(entry.value, in: "user '\(entry.key)'",
                                      allowed: ["roles", "client", "count", "prefix"])
            else { continue }
            var roleReferences: [Located<String>] = []
            if let rolesNode = fields["roles"], let items = listOrSingle(rolesNode, expected: "a list of role names") {
                for item in items {
                    guard let role = self.name(item, expected: "a role name") else { continue }
                    if !roleNames.contains(role.value) {
                        let hint = Suggestions.didYouMean(role.value, among: roleNames)
                        let defined = roleNames.isEmpty ? " (no roles are defined)" : ""
                        error("undefined role '\(role.value)'\(hint)\(defined)", at: role.location)
                    }
                    roleReferences.append(role)
                }
            }
            let client = fields["client"].flatMap { choice($0, noun: "client") as Located<ClientKind>? }
                ?? Located(.tsh, at: fields.location)
            var group: UserDefinition.Group?
            if let countNode = fields["count"] {
                let count = integer(countNode, noun: "a user count", in: 1...Self.maximumGeneratedUsers)
                let prefix = fields["prefix"].flatMap { self.name($0, expected: "a user name prefix") }
                    ?? Located(entry.key + "-", at: fields.location)
                guard let count else { continue }
                group = UserDefinition.Group(count: count, prefix: prefix)
            } else if let location = fields.keyLocation("prefix") {
                error("'prefix' applies only to generated users; add 'count'", at: location)
            }
            users.append(UserDefinition(name: name, group: group, roles: roleReferences, client: client))
        }
        return users
    }
}
