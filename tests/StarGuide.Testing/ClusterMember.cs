namespace StarGuide.Testing;

/// <summary>
/// What a node of a <see cref="RabbitMqCluster"/> shares with the others: the Erlang cookie (nodes of one cluster must
/// hold the same), one epmd (each node finds the others' distribution ports there) and the broker users' passwords
/// (every node loads the definitions; users are cluster-wide).
/// </summary>
internal sealed record ClusterMember(
    string NodeName,
    IReadOnlyList<string> Peers,
    string Cookie,
    int EpmdPort,
    IReadOnlyDictionary<string, string> Passwords);
