package import Scenario

/// The edits the shrinker makes to a scenario. Each removes something together with what
/// refers to it (a connection's later steps, a user's steps and faults, a node's faults),
/// so that the result usually validates; whatever still does not is skipped when the
/// candidate is loaded. None of them invents a value: they only remove, cut or lower.
extension Scenario {
    /// The scenario without the script steps at `indices`, and without every step that uses
    /// the handle of a removed connect step.
    /// - Complexity: O(*n*) in the number of steps.
    package func removingScriptSteps(at indices: Set<Int>) -> Scenario {
        let kept = script.enumerated().filter { !indices.contains($0.offset) }.map(\.element)
        let defined = Set(kept.compactMap { step -> String? in
            if case .connect(let connect) = step.action { return connect.handle?.value }
            return nil
        })
        var copy = self
        copy.script = kept.filter { step in
            switch step.action {
            case .connect: true
            case .openSessions(let open): defined.contains(open.handle.value)
            case .disconnect(let handle): defined.contains(handle.value)
            }
        }
        return copy
    }

    /// The scenario without the script steps for which `predicate` holds (and their dependents).
    package func removingScriptSteps(where predicate: (ScriptStep) -> Bool) -> Scenario {
        removingScriptSteps(at: Set(script.indices.filter { predicate(script[$0]) }))
    }

    /// The scenario without the users `members` (user names, group members included) and
    /// the user definitions named in `definitions`: their script steps, their
    /// `delete_semaphore` faults and the expectations tagged with them go; load entries stop
    /// drawing from them and go when they draw from no one.
    package func removingUsers(_ members: Set<String>, definitions: Set<String>) -> Scenario {
        var copy = removingScriptSteps { step in
            if case .connect(let connect) = step.action { return members.contains(connect.user.value) }
            return false
        }
        copy.users.removeAll { definitions.contains($0.name.value) }
        copy.load = copy.load.compactMap { entry in
            var entry = entry
            entry.users.removeAll { definitions.contains($0.value) || members.contains($0.value) }
            return entry.users.isEmpty ? nil : entry
        }
        copy.faults.removeAll { fault in
            if case .deleteSemaphore(let user) = fault.kind { return members.contains(user.value) }
            return false
        }
        copy.expectations.removeAll { $0.selector.value(forTag: "user").map(members.contains) ?? false }
        return copy
    }

    /// The scenario without the user definitions at `indices` (see ``removingUsers(_:definitions:)``).
    package func removingUserDefinitions(at indices: Set<Int>) -> Scenario {
        let removed = indices.sorted().map { users[$0] }
        return removingUsers(Set(removed.flatMap(\.memberNames)), definitions: Set(removed.map(\.name.value)))
    }

    /// The scenario with user group `index` cut to its first `count` members.
    package func resizingGroup(at index: Int, to count: Int) -> Scenario {
        guard let group = users[index].group, count < group.count.value else { return self }
        let dropped = Set((count..<group.count.value).map { users[index].memberName(at: $0) })
        var copy = removingUsers(dropped, definitions: [])
        copy.users[index].group?.count.value = count
        return copy
    }

    /// The scenario without the nodes `names`: steps connecting to them, faults naming
    /// them (a partition only loses them from its sides) and expectations tagged with them
    /// go; load entries stop choosing them and go when no node is left to choose.
    package func removingNodes(_ names: Set<String>) -> Scenario {
        var copy = removingScriptSteps { step in
            if case .connect(let connect) = step.action { return names.contains(connect.node.value) }
            return false
        }
        copy.cluster.nodes.removeAll { names.contains($0.name.value) }
        copy.load = copy.load.compactMap { entry in
            guard case .names(let chosen) = entry.nodes.value else { return entry }
            var entry = entry
            let left = chosen.filter { !names.contains($0.value) }
            entry.nodes.value = .names(left)
            return left.isEmpty ? nil : entry
        }
        copy.faults = copy.faults.compactMap { fault in
            var fault = fault
            switch fault.kind {
            case .partition(let sideA, let sideB, let oneWay):
                let a = sideA.filter { !names.contains($0.value) }
                let b = sideB.filter { !names.contains($0.value) }
                guard !a.isEmpty, !b.isEmpty else { return nil }
                fault.kind = .partition(sideA: a, sideB: b, oneWay: oneWay)
            case .crash(let host, _), .clockSkew(let host, _):
                if names.contains(host.value) { return nil }
            case .latency(let pair, _), .loss(let pair, _):
                if names.contains(pair.first.value) || names.contains(pair.second.value) { return nil }
            case .storageOutage, .deleteSemaphore:
                break
            }
            return fault
        }
        copy.expectations.removeAll { $0.selector.value(forTag: "node").map(names.contains) ?? false }
        return copy
    }

    /// The scenario with `duration` cut to `end`: steps and faults after it go (with the
    /// steps that depend on them), arrival windows end by `end` (a ramp keeps its shape up
    /// to `end`), and load entries whose window starts at or after `end` go.
    package func truncated(to end: Duration) -> Scenario {
        var copy = removingScriptSteps { $0.at.value > end }
        copy.duration.value = end
        copy.faults.removeAll { $0.at.value > end }
        copy.load = copy.load.compactMap { entry in
            guard case .open(var arrival) = entry.model else { return entry }
            guard arrival.from.value < end else { return nil }
            guard arrival.until.value > end else { return entry }
            var entry = entry
            arrival.until.value = end
            if case .stages(let startRate, let stages) = arrival.pattern {
                arrival.pattern = .stages(startRate: startRate, stages: Self.stages(stages, of: arrival, cutAt: end))
            }
            entry.model = .open(arrival)
            return entry
        }
        return copy
    }

    /// `stages` (of `arrival`) ending at `end`: later stages dropped, the stage that spans
    /// `end` shortened to end there at the rate it had reached.
    package static func stages(_ stages: [ArrivalStage], of arrival: Arrival, cutAt end: Duration) -> [ArrivalStage] {
        var kept: [ArrivalStage] = []
        var start = arrival.from.value
        for stage in stages {
            guard start < end else { break }
            var stage = stage
            if start + stage.duration.value > end {
                stage.rate.value = arrival.rate(at: end - .nanoseconds(1))
                stage.duration.value = end - start
            }
            kept.append(stage)
            start += stage.duration.value
        }
        return kept
    }

    /// The scenario without roles no user holds.
    package func removingUnusedRoles() -> Scenario {
        let held = Set(users.flatMap { $0.roles.map(\.value) })
        var copy = self
        copy.roles.removeAll { !held.contains($0.name.value) }
        return copy
    }

    /// The scenario keeping only `target`'s threshold of `expect:` (none for an invariant).
    package func keepingOnlyExpectation(of target: ShrinkTarget) -> Scenario {
        var copy = self
        guard case .expectation(let metric, let condition) = target else {
            copy.expectations = []
            return copy
        }
        copy.expectations = expectations.compactMap { expectation in
            guard expectation.selectorText == metric else { return nil }
            var expectation = expectation
            expectation.conditions = expectation.conditions.filter { $0.text == condition }.prefix(1).map { $0 }
            return expectation.conditions.isEmpty ? nil : expectation
        }.prefix(1).map { $0 }
        return copy
    }
}
