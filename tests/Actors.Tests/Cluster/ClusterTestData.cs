using ActorNet.Actors.Cluster.Membership;

namespace ActorNet.Actors.Tests.Cluster;

using Address = ActorNet.Actors.Cluster.Membership.Address;

/// <summary>Builders for members and gossips used across the cluster tests.</summary>
internal static class ClusterTestData
{
    public static Address Addr(string host, int port = 2552) => new("test", host, port);

    public static UniqueAddress Node(string host, long uid = 1, int port = 2552) => new(Addr(host, port), uid);

    public static Member M(string host, MemberStatus status, int upNumber = Member.NotUpNumber, string[]? roles = null, long uid = 1)
    {
        var m = Member.FromWire(Node(host, uid), status, upNumber, roles ?? []);
        return m;
    }

    public static MembershipState State(Gossip gossip, Member self) => new(gossip, self.UniqueAddress);

    public static Gossip SeenByAll(Gossip gossip) =>
        gossip.Members.Aggregate(gossip, (g, m) => g.Seen(m.UniqueAddress));
}
