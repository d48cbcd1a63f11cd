using System.Globalization;
using ActorNet.Actors.Cluster;
using ActorNet.Actors.Cluster.FailureDetection;
using ActorNet.Actors.Cluster.Membership;
using ActorNet.DataPlane.Abi;
using ActorNet.DataPlane.Segments;

namespace ActorNet.Host.Node;

/// <summary>
/// Same-host liveness from the data plane's segments: a member whose incarnation owns a segment
/// <c>&lt;shm-root&gt;/&lt;cluster&gt;/node-&lt;id&gt;</c> is on this host; its header gives the owner pid (exited or
/// zombie = dead at once), the heartbeat word and the incarnation. Segments are found by scanning the cluster's folder
/// (at most every 200 ms while some member is unknown) and stay mapped until <see cref="Forget"/>. Called only by the
/// same-host monitor actor (one thread); never blocks beyond reading small files in /proc.
/// </summary>
public sealed class SegmentLivenessProbe : ISameHostLivenessProbe, IDisposable
{
    private readonly string _folder;
    private readonly Dictionary<long, SharedSegment> _byIncarnation = [];
    private readonly HashSet<string> _ownPaths;
    private long _lastScanMs = -1_000_000;

    /// <summary>Creates a probe over <paramref name="shmRoot"/>/<paramref name="cluster"/>, ignoring this node's own segment path.</summary>
    public SegmentLivenessProbe(string shmRoot, string cluster, string ownSegmentPath)
    {
        _folder = Path.Combine(shmRoot, cluster);
        _ownPaths = [Path.GetFullPath(ownSegmentPath)];
    }

    /// <inheritdoc />
    public SameHostEvidence? Probe(UniqueAddress node, long nowMs)
    {
        if (!_byIncarnation.TryGetValue(node.Uid, out var segment))
        {
            if (nowMs - _lastScanMs < 200)
            {
                return null;
            }

            _lastScanMs = nowMs;
            Scan();
            if (!_byIncarnation.TryGetValue(node.Uid, out segment))
            {
                return null;
            }
        }

        var live = segment.GetLiveness(TimeSpan.FromDays(1));
        bool exited = !live.ProcessAlive || live.State == SegmentState.Closed || IsZombie(live.OwnerPid);
        long beat = nowMs - (long)live.HeartbeatAge.TotalMilliseconds;
        return new SameHostEvidence(
            exited ? PeerProcessState.Exited : PeerProcessState.Running,
            exited ? null : (ulong)beat,
            (long)live.Incarnation,
            nowMs);
    }

    /// <inheritdoc />
    public void Forget(UniqueAddress node)
    {
        if (_byIncarnation.Remove(node.Uid, out var segment))
        {
            segment.Dispose();
        }
    }

    /// <summary>Unmaps every peer segment.</summary>
    public void Dispose()
    {
        foreach (var segment in _byIncarnation.Values)
        {
            segment.Dispose();
        }

        _byIncarnation.Clear();
    }

    private void Scan()
    {
        if (!Directory.Exists(_folder))
        {
            return;
        }

        foreach (var path in Directory.EnumerateFiles(_folder, "node-*"))
        {
            if (_ownPaths.Contains(Path.GetFullPath(path)))
            {
                continue;
            }

            try
            {
                var segment = SharedSegment.Open(path);
                long incarnation = (long)segment.Incarnation;
                if (_byIncarnation.ContainsKey(incarnation))
                {
                    segment.Dispose();
                }
                else
                {
                    _byIncarnation[incarnation] = segment;
                }
            }
            catch (Exception ex) when (ex is SegmentFormatException or IOException or UnauthorizedAccessException or ArgumentException)
            {
                // Being created, being removed, or not ours: look again at the next scan.
            }
        }
    }

    /// <summary>True when /proc says <paramref name="pid"/> is a zombie (exited, not yet reaped by its parent).</summary>
    internal static bool IsZombie(int pid)
    {
        if (!OperatingSystem.IsLinux() || pid <= 0)
        {
            return false;
        }

        try
        {
            var stat = File.ReadAllText(string.Create(CultureInfo.InvariantCulture, $"/proc/{pid}/stat"));
            int close = stat.LastIndexOf(')');
            return close > 0 && close + 2 < stat.Length && stat[close + 2] is 'Z' or 'X';
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return false;
        }
    }
}
