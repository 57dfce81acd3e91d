/// An entry of `users:` — one user, or a generated group of users (`{count, prefix}`).
///
/// A group named `ci` with `count: 100, prefix: ci-` defines the users `ci-1`…`ci-100`;
/// the group's own name is not a user, but load entries may draw from the whole group.
public struct UserDefinition: Sendable, Hashable {
    /// The mapping key: the user's name, or the group's name.
    public var name: Located<String>
    /// For a generated group, its size and name prefix; nil for a single user.
    public var group: Group?
    /// `roles`: the roles every user of this entry holds (may be empty).
    public var roles: [Located<String>]
    /// `client`: the SSH client the users run (default `tsh`).
    public var client: Located<ClientKind>

    /// Size and naming of a generated group of users.
    public struct Group: Sendable, Hashable {
        /// `count`: number of users (at least 1).
        public var count: Located<Int>
        /// `prefix`: the users are named prefix + 1…count (default: the group name and `-`).
        public var prefix: Located<String>

        /// Creates a group description.
        public init(count: Located<Int>, prefix: Located<String>) {
            self.count = count
            self.prefix = prefix
        }
    }

    /// Creates a user definition.
    public init(name: Located<String>, group: Group?, roles: [Located<String>], client: Located<ClientKind>) {
        self.name = name
        self.group = group
        self.roles = roles
        self.client = client
    }

    /// Whether this entry is a generated group.
    public var isGroup: Bool { group != nil }

    /// How many users the entry defines (1 for a single user).
    public var memberCount: Int { group?.count.value ?? 1 }

    /// The name of member `index` (0-based): the user's name, or prefix + (index + 1).
    public func memberName(at index: Int) -> String {
        guard let group else { return name.value }
        return group.prefix.value + String(index + 1)
    }

    /// Every user name the entry defines, in order.
    /// - Complexity: O(*n*) in `memberCount`.
    public var memberNames: [String] {
        (0..<memberCount).map(memberName(at:))
    }

    /// Whether the entry defines a user called `userName`.
    /// - Complexity: O(*m*) in the name's length (no expansion of the group).
    public func contains(userName: String) -> Bool {
        guard let group else { return userName == name.value }
        return Self.memberNumber(of: userName, prefix: group.prefix.value, count: group.count.value) != nil
    }

    /// The 1-based number `n` if `userName` is `prefix` followed by `n` in 1…count written
    /// without leading zeros, else nil.
    static func memberNumber(of userName: String, prefix: String, count: Int) -> Int? {
        guard userName.hasPrefix(prefix) else { return nil }
        let digits = userName.dropFirst(prefix.count)
        guard let first = digits.first, first != "0", digits.count <= 18,
              digits.allSatisfy({ ("0"..."9").contains($0) }),
              let number = Int(digits), number >= 1, number <= count
        else { return nil }
        return number
    }
}

/// The SSH client a user runs (`client:`).
public enum ClientKind: String, Sendable, Hashable, CaseIterable {
    /// Teleport's `tsh` (default).
    case tsh
    /// OpenSSH's `ssh`.
    case openssh
}
