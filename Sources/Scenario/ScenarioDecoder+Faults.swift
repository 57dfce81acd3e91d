import Yams

extension ScenarioDecoder {
    static let faultKinds = [
        "partition", "crash", "clock_skew", "latency", "loss", "storage_outage", "delete_semaphore",
    ]

    /// Decodes `faults:`.
    func decodeFaults(_ node: Node, context: StepContext) -> [Fault] {
        guard let items = list(node, expected: "a list of faults") else { return [] }
        return items.compactMap { decodeFault($0, context: context) }
    }

    /// Decodes one fault: `at`, optional `for`, and exactly one kind key.
    func decodeFault(_ node: Node, context: StepContext) -> Fault? {
        let writtenKeys = node.mapping?.keys.compactMap(\.scalar?.string) ?? []
        let kinds = Self.faultKinds.filter(writtenKeys.contains)
        let kind = kinds.first
        var allowed = ["at", "for"]
        switch kind {
        case "partition": allowed.append("one_way")
        case "crash": allowed = ["at", "restart_after"]
        case "delete_semaphore": allowed = ["at"]
        case nil: allowed += Self.faultKinds + ["one_way", "restart_after"]
        default: break
        }
        if let kind { allowed.append(kind) }
        func misplaced(_ key: String) -> String? {
            if kinds.count > 1, Self.faultKinds.contains(key) {
                return "a fault entry has one kind; found both '\(kinds[0])' and '\(key)'"
            }
            switch (key, kind) {
            case ("for", "crash"?):
                return "'for' does not apply to crash; use 'restart_after' (or nothing to stay down)"
            case ("for", "delete_semaphore"?): return "'for' does not apply to delete_semaphore; it happens at once"
            case ("one_way", let kind?): return "'one_way' applies only to partition, not to \(kind)"
            case ("restart_after", let kind?): return "'restart_after' applies only to crash, not to \(kind)"
            default: return nil
            }
        }
        let what = kind.map { "\($0) fault" } ?? "fault"
        guard let fields = self.fields(node, in: what, allowed: allowed, misplaced: misplaced) else { return nil }
        let at = required(fields, "at").flatMap { stepTime($0, context: context, what: "fault") }
        let lasting = fields["for"].flatMap { duration($0, positive: true) }
        guard let kind else {
            if fields.unknownKeyCount == 0 {
                error("a fault needs one of \(Suggestions.alternatives(Self.faultKinds))", at: fields.location)
            }
            return nil
        }
        let decoded = decodeFaultKind(kind, fields: fields, names: context.names)
        guard let at, let decoded else { return nil }
        return Fault(location: fields.location, at: at, lasting: lasting, kind: decoded)
    }

    /// Decodes the value of a fault's kind key.
    func decodeFaultKind(_ kind: String, fields: Fields, names: NameTable) -> Fault.Kind? {
        guard let value = fields[kind] else { return nil }
        switch kind {
        case "partition":
            let oneWay = fields["one_way"].flatMap(boolean) ?? Located(false, at: fields.location)
            return decodePartition(value, names: names).map { .partition(sideA: $0.0, sideB: $0.1, oneWay: oneWay) }
        case "crash":
            let restart = fields["restart_after"].flatMap { duration($0, positive: true) }
            return host(value, names: names).map { .crash(host: $0, restartAfter: restart) }
        case "clock_skew":
            guard let inner = self.fields(value, in: "clock_skew", allowed: ["host", "offset"]) else { return nil }
            let host = required(inner, "host").flatMap { self.host($0, names: names) }
            let offset = required(inner, "offset").flatMap(signedDuration)
            guard let host, let offset else { return nil }
            return .clockSkew(host: host, offset: offset)
        case "latency":
            guard let inner = self.fields(value, in: "latency", allowed: ["between", "add"]) else { return nil }
            let pair = required(inner, "between").flatMap { hostPair($0, names: names) }
            let add = required(inner, "add").flatMap { duration($0) }
            guard let pair, let add else { return nil }
            return .latency(between: pair, add: add)
        case "loss":
            guard let inner = self.fields(value, in: "loss", allowed: ["between", "rate"]) else { return nil }
            let pair = required(inner, "between").flatMap { hostPair($0, names: names) }
            let rate = required(inner, "rate").flatMap(probability)
            guard let pair, let rate else { return nil }
            return .loss(between: pair, rate: rate)
        case "storage_outage":
            guard self.fields(value, in: "storage_outage", allowed: []) != nil else { return nil }
            return .storageOutage
        default:
            guard let user = name(value, expected: "a user name") else { return nil }
            switch names.lookupUser(user.value) {
            case .user: return .deleteSemaphore(user: user)
            case .group(let group):
                error("'\(user.value)' is a group; delete_semaphore needs one user, like '\(group.memberName(at: 0))'",
                      at: user.location)
            case .undefined:
                error(names.undefinedUserMessage(user.value), at: user.location)
            }
            return nil
        }
    }

    /// A defined host name.
    func host(_ node: Node, names: NameTable) -> Located<String>? {
        guard let host = name(node, expected: "a host name (auth-N, proxy-N or a node)") else { return nil }
        guard names.isHost(host.value) else {
            error(names.undefinedHostMessage(host.value), at: host.location)
            return nil
        }
        return host
    }

    /// `[A, B]`: two different defined hosts.
    func hostPair(_ node: Node, names: NameTable) -> HostPair? {
        guard let items = list(node, expected: "a list of two hosts like [node-1, auth-1]") else { return nil }
        guard items.count == 2 else {
            error("expected two hosts like [node-1, auth-1], found \(items.count)", at: node)
            return nil
        }
        let first = host(items[0], names: names)
        let second = host(items[1], names: names)
        guard let first, let second else { return nil }
        guard first.value != second.value else {
            error("expected two different hosts, found '\(first.value)' twice", at: second.location)
            return nil
        }
        return HostPair(first: first, second: second)
    }

    /// `[[A...], [B...]]`: two non-empty, disjoint groups of defined hosts (a bare name is a group of one).
    func decodePartition(_ node: Node, names: NameTable) -> ([Located<String>], [Located<String>])? {
        guard let sides = list(node, expected: "two groups of hosts like [[node-1], [auth-1]]") else { return nil }
        guard sides.count == 2 else {
            error("expected two groups of hosts like [[node-1], [auth-1]], found \(sides.count)", at: node)
            return nil
        }
        var groups: [[Located<String>]] = []
        for side in sides {
            guard let members = listOrSingle(side, expected: "a list of hosts") else { return nil }
            guard !members.isEmpty else {
                error("expected at least one host on each side of a partition", at: side)
                return nil
            }
            let hosts = members.compactMap { host($0, names: names) }
            guard hosts.count == members.count else { return nil }
            groups.append(hosts)
        }
        let left = Set(groups[0].map(\.value))
        if let shared = groups[1].first(where: { left.contains($0.value) }) {
            error("host '\(shared.value)' is on both sides of the partition", at: shared.location)
            return nil
        }
        return (groups[0], groups[1])
    }
}
