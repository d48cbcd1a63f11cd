using System.Globalization;
using ActorNet.Host.Network;
using Spectre.Console;
using Spectre.Console.Rendering;

namespace ActorNet.Host.Orchestration;

/// <summary>
/// The live status view of <c>actornet up</c>: members, rings with their owners and per-ring counters, per-node
/// rates. Built from the nodes' status files; keeps the previous sample to compute rates. One caller (the up
/// command's loop).
/// </summary>
public sealed class ClusterView
{
    private readonly ClusterPlan _plan;
    private Dictionary<int, (DateTime At, long TxBytes, long RxBytes, long TxFrames, long RxFrames)> _previous = [];

    /// <summary>Creates the view of <paramref name="plan"/>.</summary>
    public ClusterView(ClusterPlan plan) => _plan = plan;

    /// <summary>Builds the renderable for the given statuses (null = node not reporting).</summary>
    public IRenderable Render(IReadOnlyDictionary<int, NodeNetworkStatus?> statuses)
    {
        ArgumentNullException.ThrowIfNull(statuses);
        var members = new Table().Border(TableBorder.Rounded).Title($"[bold]cluster {Markup.Escape(_plan.Cluster)}[/]  (Ctrl-C tears it down)");
        foreach (var h in new[] { "node", "name", "process", "member", "pid", "shm0", "up for", "tx Mbit/s", "rx Mbit/s", "tx fr/s", "rx fr/s", "drops" })
        {
            members.AddColumn(h);
        }

        var rings = new Table().Border(TableBorder.Rounded).Title("[bold]rings[/]: owner holds the ring in its segment; A -> * is A's broadcast/multicast ring; drops: full, down, stale, bad (malformed)");
        foreach (var h in new[] { "ring", "owner", "state", "frames", "bytes", "full", "down", "stale", "bad" })
        {
            rings.AddColumn(h);
        }

        var now = new Dictionary<int, (DateTime, long, long, long, long)>();
        foreach (var node in _plan.Nodes)
        {
            statuses.TryGetValue(node.Id, out var s);
            if (s is null)
            {
                members.AddRow(Id(node.Id), Markup.Escape(node.Name), "[red]down[/]", Markup.Escape(MemberSeenByOthers(statuses, node.Id)), "-", node.DataAddress.ToString(), "-", "-", "-", "-", "-", "-");
                continue;
            }

            var a = s.AdapterCounters;
            now[node.Id] = (s.WrittenUtc, a.BytesRead, a.BytesWritten, a.FramesRead, a.FramesWritten);
            string txRate = "-", rxRate = "-", txFps = "-", rxFps = "-";
            if (_previous.TryGetValue(node.Id, out var p) && s.WrittenUtc > p.At)
            {
                double seconds = (s.WrittenUtc - p.At).TotalSeconds;
                txRate = F((a.BytesRead - p.TxBytes) * 8 / seconds / 1e6);
                rxRate = F((a.BytesWritten - p.RxBytes) * 8 / seconds / 1e6);
                txFps = F((a.FramesRead - p.TxFrames) / seconds);
                rxFps = F((a.FramesWritten - p.RxFrames) / seconds);
            }

            long drops = a.Runts + a.Oversize + a.Garbled + a.WriteDrops;
            members.AddRow(Id(node.Id), Markup.Escape(s.NodeName), "[green]running[/]", Markup.Escape(s.Member.Length > 0 ? s.Member : "-"), s.Pid.ToString(CultureInfo.InvariantCulture), Markup.Escape(s.Address), Uptime(s.WrittenUtc - s.StartedUtc), txRate, rxRate, txFps, rxFps, drops.ToString(CultureInfo.InvariantCulture));
            foreach (var l in s.Links.Where(l => _plan.Nodes.Any(n => n.Id == l.Peer)))
            {
                var state = l.State switch { "up" => "[green]up[/]", "down" => "[red]down[/]", _ => "[grey]absent[/]" };
                // Send side from this node's counters; stale/malformed as the owner (receiver) counted them.
                var rx = statuses.TryGetValue(l.Peer, out var peer) ? peer?.Links.FirstOrDefault(x => x.Peer == node.Id) : null;
                rings.AddRow($"{node.Id} -> {l.Peer}", Id(l.Peer), state, N(l.TxFrames), N(l.TxBytes), N(l.TxDropFull), N(l.TxDropDown), rx is null ? "-" : N(rx.RxDropStale), rx is null ? "-" : N(rx.RxDropMalformed));
            }

            rings.AddRow($"{node.Id} -> *", Id(node.Id), "[green]up[/]", N(s.Cast.TxFrames), N(s.Cast.TxBytes), N(s.Cast.TxDropFull), "0", "-", "-");
        }

        _previous = now;
        return new Rows(members, rings, new Markup($"[grey]{DateTime.Now:HH:mm:ss}  actornet exec NODE -- CMD runs a command in a node's namespace; segments in {Markup.Escape(_plan.ShmFolder)}[/]"));
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
