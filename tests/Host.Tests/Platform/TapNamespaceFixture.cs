using System.Net;
using ActorNet.DataPlane.Adapters;
using ActorNet.DataPlane.Frames;
using ActorNet.Host.Platform;

namespace ActorNet.Host.Tests.Platform;

/// <summary>
/// Two fresh network namespaces, each with a TAP opened from a thread inside it, joined by an in-process bridge
/// thread that copies frames (and their offload headers) between the two descriptors. Disposing stops the bridge,
/// closes the TAPs and deletes the namespaces, whatever happened before.
/// </summary>
internal sealed class TapNamespaceFixture : IDisposable
{
    private readonly Thread _bridge;
    private volatile bool _stop;
    private Exception? _bridgeFailure;

    public TapNamespaceFixture(int subnet, bool offloads, int mtu = 1500, bool? offloads2 = null)
    {
        // Not root or no /dev/net/tun: fail with the helper's message rather than pass silently.
        NetworkNamespace.EnsurePrerequisites();
        string prefix = $"antest-{Environment.ProcessId}-{subnet}-";
        NetworkNamespace.DeleteByPrefix(prefix);
        try
        {
            Ns1 = NetworkNamespace.Create(prefix + "1");
            Ns2 = NetworkNamespace.Create(prefix + "2");
            Address1 = IPAddress.Parse($"10.250.{subnet}.1");
            Address2 = IPAddress.Parse($"10.250.{subnet}.2");
            Tap1 = Ns1.Run(() => TapAdapter.Open(Options(1, Address1, offloads, mtu)));
            Tap2 = Ns2.Run(() => TapAdapter.Open(Options(2, Address2, offloads2 ?? offloads, mtu)));
        }
        catch
        {
            Cleanup(prefix);
            throw;
        }

        Prefix = prefix;
        _bridge = new Thread(BridgeLoop) { IsBackground = true, Name = "test-tap-bridge" };
        _bridge.Start();
    }

    public string Prefix { get; }

    public NetworkNamespace Ns1 { get; } = null!;

    public NetworkNamespace Ns2 { get; } = null!;

    public TapAdapter Tap1 { get; } = null!;

    public TapAdapter Tap2 { get; } = null!;

    public IPAddress Address1 { get; } = null!;

    public IPAddress Address2 { get; } = null!;

    /// <summary>Frames the bridge moved (both directions); written by the bridge thread.</summary>
    public long FramesBridged;

    /// <summary>Frames the bridge moved that were GSO super-frames; written by the bridge thread.</summary>
    public long SuperFramesBridged;

    /// <summary>Bytes the bridge thread allocated inside adapter reads/writes after warm-up; written by the bridge thread.</summary>
    public long SteadyStateAllocatedBytes;

    /// <summary>Largest frame the bridge moved; written by the bridge thread.</summary>
    public int LargestFrame;

    public Exception? BridgeFailure => _bridgeFailure;

    public void Dispose()
    {
        _stop = true;
        _bridge?.Join(TimeSpan.FromSeconds(5));
        Cleanup(Prefix);
    }

    private static TapAdapterOptions Options(ushort node, IPAddress address, bool offloads, int mtu) => new()
    {
        Name = "shm0",
        MacAddress = MacAddress.ForNode(NetworkKind.Local, node),
        Mtu = mtu,
        Ipv4Address = address,
        Ipv4PrefixLength = 24,
        Offloads = offloads,
    };

    private void Cleanup(string prefix)
    {
        Tap1?.Dispose();
        Tap2?.Dispose();
        NetworkNamespace.DeleteByPrefix(prefix);
    }

    private void BridgeLoop()
    {
        var buffer = new byte[TapAdapterOptions.MaxSuperFrameSize];
        try
        {
            while (!_stop)
            {
                long before = GC.GetAllocatedBytesForCurrentThread();
                bool moved = Move(Tap1, Tap2, buffer) | Move(Tap2, Tap1, buffer);
                if (FramesBridged > 20)
                {
                    SteadyStateAllocatedBytes += GC.GetAllocatedBytesForCurrentThread() - before; // after warm-up (lazy scratch buffers)
                }

                if (!moved)
                {
                    Tap1.WaitReadable(1); // short: the other direction is polled on the next turn
                }
            }
        }
        catch (Exception e)
        {
            _bridgeFailure = e;
        }
    }

    private bool Move(TapAdapter from, TapAdapter to, byte[] buffer)
    {
        bool any = false;
        for (int i = 0; i < 64; i++)
        {
            int n = from.Read(buffer, out var offload);
            if (n == 0)
            {
                break;
            }

            any = true;
            FramesBridged++;
            if (offload.Gso != GsoKind.None)
            {
                SuperFramesBridged++;
            }

            LargestFrame = Math.Max(LargestFrame, n);
            to.TryWrite(buffer.AsSpan(0, n), offload);
        }

        return any;
    }
}
