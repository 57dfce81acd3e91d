/// The names a scenario defines — hosts, nodes, users, groups — for checking references.
///
/// Built once after `cluster` and `users` are decoded; reports names defined twice
/// (a node named like an auth host, a user that is also a member of a group, two groups
/// whose generated names overlap) through the decoder.
struct NameTable {
    /// Every host name: `auth-N`, `proxy-N`, then nodes, in order.
    private(set) var hosts: [String] = []
    /// Node names, in order.
    private(set) var nodes: [String] = []
    private var hostSet: Set<String> = []
    private var nodeSet: Set<String> = []
    /// User definitions, in file order.
    let users: [UserDefinition]
    /// Hosts every cluster has besides auth, proxies and nodes.
    static let reservedHostNames: Set<String> = ["backend", "storage"]

    /// What a user reference resolves to.
    enum UserLookup {
        /// One user: a single user or a group member.
        case user
        /// A generated group (valid where a group of users is accepted).
        case group(UserDefinition)
        /// Not defined.
        case undefined
    }

    init(cluster: Cluster, users: [UserDefinition], decoder: ScenarioDecoder) {
        self.users = users
        var firstDefinition: [String: SourcePosition] = [:]
        for name in cluster.authHostNames + cluster.proxyHostNames {
            hosts.append(name)
            hostSet.insert(name)
        }
        for node in cluster.nodes {
            let name = node.name.value
            if Self.reservedHostNames.contains(name) {
                decoder.error("node name '\(name)' is reserved for the cluster's \(name) host; choose another name",
                              at: node.name.location)
                continue
            }
            if hostSet.contains(name) {
                if let first = firstDefinition[name] {
                    decoder.error(
                        "node '\(name)' is defined twice (first at line \(first.line), column \(first.column))",
                        at: node.name.location)
                } else {
                    let kind = name.hasPrefix("auth-") ? "an auth host" : "a proxy host"
                    decoder.error("node name '\(name)' is already the name of \(kind)", at: node.name.location)
                }
                continue
            }
            firstDefinition[name] = node.name.location
            hosts.append(name)
            hostSet.insert(name)
            nodes.append(name)
            nodeSet.insert(name)
        }
        checkUserOverlaps(decoder: decoder)
    }

    /// Reports single users that a group also defines, and groups whose names overlap.
    private func checkUserOverlaps(decoder: ScenarioDecoder) {
        let groups = users.filter(\.isGroup)
        for user in users where !user.isGroup {
            if let group = groups.first(where: { $0.contains(userName: user.name.value) }) {
                decoder.error("user '\(user.name.value)' is defined twice: group '\(group.name.value)' also defines it "
                              + "(\(Self.range(of: group)))", at: user.name.location)
            }
        }
        for (index, later) in groups.enumerated() {
            for earlier in groups[..<index] {
                guard let example = Self.firstShared(earlier, later) else { continue }
                decoder.error("group '\(later.name.value)' defines users that group '\(earlier.name.value)' "
                              + "also defines, like '\(example)'", at: later.name.location)
            }
        }
    }

    /// A user name both groups define, if any (found without expanding either group).
    static func firstShared(_ first: UserDefinition, _ second: UserDefinition) -> String? {
        guard let a = first.group, let b = second.group else { return nil }
        for (short, long) in [(a, b), (b, a)] where long.prefix.value.hasPrefix(short.prefix.value) {
            // long's member n is short's prefix + rest + n: if any of them is short's member, member 1 is.
            let candidate = long.prefix.value + "1"
            if UserDefinition.memberNumber(of: candidate, prefix: short.prefix.value, count: short.count.value) != nil {
                return candidate
            }
        }
        return nil
    }

    /// `ci-1…ci-100` for a group.
    static func range(of group: UserDefinition) -> String {
        "\(group.memberName(at: 0))…\(group.memberName(at: group.memberCount - 1))"
    }

    /// Whether `name` is a host.
    func isHost(_ name: String) -> Bool { hostSet.contains(name) }

    /// Whether `name` is a node.
    func isNode(_ name: String) -> Bool { nodeSet.contains(name) }

    /// Resolves a user reference.
    func lookupUser(_ name: String) -> UserLookup {
        if let definition = users.first(where: { $0.name.value == name }) {
            return definition.isGroup ? .group(definition) : .user
        }
        if users.contains(where: { $0.isGroup && $0.contains(userName: name) }) { return .user }
        return .undefined
    }

    /// `undefined user 'x'; did you mean 'y'?`, or the range of the group it nearly belongs to.
    func undefinedUserMessage(_ name: String) -> String {
        for group in users where group.isGroup {
            if let prefix = group.group?.prefix.value, name.hasPrefix(prefix), name.count > prefix.count,
               name.dropFirst(prefix.count).allSatisfy(\.isNumber) {
                return "undefined user '\(name)'; group '\(group.name.value)' defines \(Self.range(of: group))"
            }
        }
        let candidates = users.map(\.name.value)
        let defined = users.isEmpty ? " (no users are defined)" : ""
        return "undefined user '\(name)'\(Suggestions.didYouMean(name, among: candidates))\(defined)"
    }

    /// `undefined node 'x'; did you mean 'y'?`.
    func undefinedNodeMessage(_ name: String) -> String {
        if hostSet.contains(name) { return "'\(name)' is not a node (it is an auth or proxy host)" }
        let defined = nodes.isEmpty ? " (the cluster defines no nodes)" : ""
        return "undefined node '\(name)'\(Suggestions.didYouMean(name, among: nodes))\(defined)"
    }

    /// `undefined host 'x'; did you mean 'y'?` (hosts are auth-N, proxy-N and nodes).
    func undefinedHostMessage(_ name: String) -> String {
        let hint = Suggestions.didYouMean(name, among: hosts)
        let known = hosts.count <= 8 ? " (hosts: \(hosts.joined(separator: ", ")))" : ""
        return "undefined host '\(name)'\(hint)\(hint.isEmpty ? known : "")"
    }
}
