using System.Globalization;
using ActorNet.Host.Network;
using Spectre.Console;
using Spectre.Console.Rendering;

namespace ActorNet.Host.Orchestration;

/// <summary>A node as the status views list it.</summary>
/// <param name="Id">Node id.</param>
/// <param name="Name">Node name.</param>
/// <param name="Address">Its address on the local network (shm0), as text.</param>
public sealed record ViewNode(int Id, string Name, string Address);

/// <summary>A node's adapter traffic per second between two status samples.</summary>
/// <param name="TxMbitPerSecond">Read from the adapter (sent by this node's programs), Mbit/s.</param>
/// <param name="RxMbitPerSecond">Handed to the adapter (received by them), Mbit/s.</param>
/// <param name="TxFramesPerSecond">Frames read from the adapter per second.</param>
/// <param name="RxFramesPerSecond">Frames handed to the adapter per second.</param>
public sealed record NodeRates(double TxMbitPerSecond, double RxMbitPerSecond, double TxFramesPerSecond, double RxFramesPerSecond)
{
    /// <summary>The rates between two samples of one node, null when <paramref name="later"/> is not later.</summary>
    public static NodeRates? Between(NodeNetworkStatus earlier, NodeNetworkStatus later)
    {
        ArgumentNullException.ThrowIfNull(earlier);
        ArgumentNullException.ThrowIfNull(later);
        if (later.WrittenUtc <= earlier.WrittenUtc || later.Pid != earlier.Pid)
        {
            return null;
        }

        double seconds = (later.WrittenUtc - earlier.WrittenUtc).TotalSeconds;
        var a = later.AdapterCounters;
        var p = earlier.AdapterCounters;
        return new NodeRates(
            (a.BytesRead - p.BytesRead) * 8 / seconds / 1e6,
            (a.BytesWritten - p.BytesWritten) * 8 / seconds / 1e6,
            (a.FramesRead - p.FramesRead) / seconds,
            (a.FramesWritten - p.FramesWritten) / seconds);
    }
}

/// <summary>
/// The status view of <c>actornet up</c> (live) and <c>actornet status</c> (once): members, rings with their owners
/// and per-ring counters, per-node rates. Built from the nodes' status files; keeps the previous sample to compute
/// rates. One caller at a time.
/// </summary>
public sealed class ClusterView
{
    private readonly string _cluster;
    private readonly string _shmFolder;
    private readonly IReadOnlyList<ViewNode> _nodes;
    private readonly string _titleHint;
    private Dictionary<int, NodeNetworkStatus> _previous = [];

    /// <summary>Creates the live view of <paramref name="plan"/> (for <c>actornet up</c>).</summary>
    public ClusterView(ClusterPlan plan)
        : this((plan ?? throw new ArgumentNullException(nameof(plan))).Cluster, plan.ShmFolder, plan.Nodes.Select(n => new ViewNode(n.Id, n.Name, n.DataAddress.ToString())).ToList(), "(Ctrl-C tears it down)")
    {
    }

    /// <summary>Creates a view of the given nodes of <paramref name="cluster"/>, whose segments are in <paramref name="shmFolder"/>.</summary>
    public ClusterView(string cluster, string shmFolder, IReadOnlyList<ViewNode> nodes, string titleHint = "")
    {
        _cluster = cluster;
        _shmFolder = shmFolder;
        _nodes = nodes;
        _titleHint = titleHint;
    }

    /// <summary>Takes a sample (the first of two gives no rates); returns each node's rates since the previous sample.</summary>
    public IReadOnlyDictionary<int, NodeRates> Sample(IReadOnlyDictionary<int, NodeNetworkStatus?> statuses)
    {
        ArgumentNullException.ThrowIfNull(statuses);
        var now = new Dictionary<int, NodeNetworkStatus>();
        var rates = new Dictionary<int, NodeRates>();
        foreach (var node in _nodes)
        {
            if (statuses.TryGetValue(node.Id, out var s) && s is not null)
            {
                now[node.Id] = s;
                if (_previous.TryGetValue(node.Id, out var p) && NodeRates.Between(p, s) is { } r)
                {
                    rates[node.Id] = r;
                }
            }
        }

        _previous = now;
        return rates;
    }

    /// <summary>Builds the renderable for the given statuses (null = node not reporting).</summary>
    public IRenderable Render(IReadOnlyDictionary<int, NodeNetworkStatus?> statuses)
    {
        ArgumentNullException.ThrowIfNull(statuses);
        var rates = Sample(statuses);
        var members = new Table().Border(TableBorder.Rounded).Title($"[bold]cluster {Markup.Escape(_cluster)}[/]  {Markup.Escape(_titleHint)}".TrimEnd());
        foreach (var h in new[] { "node", "name", "process", "member", "pid", "shm0", "up for", "tx Mbit/s", "rx Mbit/s", "tx fr/s", "rx fr/s", "drops" })
        {
            members.AddColumn(h);
        }

        var rings = new Table().Border(TableBorder.Rounded).Title("[bold]rings[/]: owner holds the ring in its segment; A -> * is A's broadcast/multicast ring; drops: full, down, stale, bad (malformed)");
        foreach (var h in new[] { "ring", "owner", "state", "frames", "bytes", "full", "down", "stale", "bad" })
        {
            rings.AddColumn(h);
        }

        foreach (var node in _nodes)
        {
            statuses.TryGetValue(node.Id, out var s);
            if (s is null)
            {
                members.AddRow(Id(node.Id), Markup.Escape(node.Name), "[red]down[/]", Markup.Escape(MemberSeenByOthers(statuses, node.Id)), "-", Markup.Escape(node.Address), "-", "-", "-", "-", "-", "-");
                continue;
            }

            var a = s.AdapterCounters;
            string txRate = "-", rxRate = "-", txFps = "-", rxFps = "-";
            if (rates.TryGetValue(node.Id, out var r))
            {
                txRate = F(r.TxMbitPerSecond);
                rxRate = F(r.RxMbitPerSecond);
                txFps = F(r.TxFramesPerSecond);
                rxFps = F(r.RxFramesPerSecond);
            }

            long drops = a.Runts + a.Oversize + a.Garbled + a.WriteDrops;
            members.AddRow(Id(node.Id), Markup.Escape(s.NodeName), "[green]running[/]", Markup.Escape(s.Member.Length > 0 ? s.Member : "-"), s.Pid.ToString(CultureInfo.InvariantCulture), Markup.Escape(s.Address), Uptime(s.WrittenUtc - s.StartedUtc), txRate, rxRate, txFps, rxFps, drops.ToString(CultureInfo.InvariantCulture));
            foreach (var l in s.Links.Where(l => _nodes.Any(n => n.Id == l.Peer)))
            {
                var state = l.State switch { "up" => "[green]up[/]", "down" => "[red]down[/]", _ => "[grey]absent[/]" };
                // Send side from this node's counters; stale/malformed as the owner (receiver) counted them.
                var rx = statuses.TryGetValue(l.Peer, out var peer) ? peer?.Links.FirstOrDefault(x => x.Peer == node.Id) : null;
                rings.AddRow($"{node.Id} -> {l.Peer}", Id(l.Peer), state, N(l.TxFrames), N(l.TxBytes), N(l.TxDropFull), N(l.TxDropDown), rx is null ? "-" : N(rx.RxDropStale), rx is null ? "-" : N(rx.RxDropMalformed));
            }

            rings.AddRow($"{node.Id} -> *", Id(node.Id), "[green]up[/]", N(s.Cast.TxFrames), N(s.Cast.TxBytes), N(s.Cast.TxDropFull), "0", "-", "-");
        }

        return new Rows(members, rings, new Markup($"[grey]{DateTime.Now:HH:mm:ss}  actornet exec NODE -- CMD runs a command in a node's namespace; segments in {Markup.Escape(_shmFolder)}[/]"));
    }

    /// <summary>A plain-text version for output that is not a terminal.</summary>
    public static string RenderPlain(ClusterPlan plan, IReadOnlyDictionary<int, NodeNetworkStatus?> statuses)
    {
        ArgumentNullException.ThrowIfNull(plan);
        ArgumentNullException.ThrowIfNull(statuses);
        var sb = new System.Text.StringBuilder();
        foreach (var node in plan.Nodes)
        {
            statuses.TryGetValue(node.Id, out var s);
            sb.Append(CultureInfo.InvariantCulture, $"node {node.Id} {node.Name} {(s is null ? "down" : "up")} {node.DataAddress}");
            if (s is not null)
            {
                sb.Append(CultureInfo.InvariantCulture, $" rings: {string.Join(" ", s.Links.Where(l => plan.Nodes.Any(n => n.Id == l.Peer)).Select(l => $"->{l.Peer}:{l.State}/{l.TxFrames}f"))}");
            }

            sb.AppendLine();
        }

        return sb.ToString();
    }

    // A dead node reports nothing itself: show how the first live node that knows it sees it (e.g. Down).
    private static string MemberSeenByOthers(IReadOnlyDictionary<int, NodeNetworkStatus?> statuses, int nodeId) =>
        statuses.Values.Where(s => s is not null).SelectMany(s => s!.Links).FirstOrDefault(l => l.Peer == nodeId && l.Member.Length > 0)?.Member ?? "-";

    private static string Id(int id) => id.ToString(CultureInfo.InvariantCulture);

    private static string N(long v) => v.ToString("N0", CultureInfo.InvariantCulture);

    private static string F(double v) => v.ToString("F1", CultureInfo.InvariantCulture);

    private static string Uptime(TimeSpan t) => t.TotalHours >= 1 ? t.ToString(@"h\:mm\:ss", CultureInfo.InvariantCulture) : t.ToString(@"m\:ss", CultureInfo.InvariantCulture);
}
