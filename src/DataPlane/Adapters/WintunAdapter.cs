using System.Net;
using System.Runtime.InteropServices;
using ActorNet.DataPlane.Frames;
using Microsoft.Win32.SafeHandles;

namespace ActorNet.DataPlane.Adapters;

/// <summary>
/// A Windows Wintun adapter behind the <see cref="FrameAdapter"/> interface. Wintun is layer 3 (bare IP packets),
/// so Ethernet is synthesised by an <see cref="EthernetIpTranslator"/>: outbound IP packets get the MAC learnt for
/// their destination (ARP requests are generated for unknown IPv4 destinations), inbound ARP requests for our
/// address are answered locally, and inbound frames are stripped to their IP packet.
/// </summary>
/// <remarks>
/// UNTESTED: compiled on Linux, never run in CI (no Windows machine); only the translator is unit-tested.
/// The adapter's IP address must be configured on the Windows side (e.g. <c>netsh interface ip set address</c>);
/// this class does not call iphlpapi yet. Threading as <see cref="FrameAdapter"/>: the reader thread calls
/// WintunReceivePacket (and emits queued ARP replies), the writer thread calls WintunSendPacket.
/// </remarks>
public sealed unsafe class WintunAdapter : FrameAdapter
{
    private readonly nint _adapter;
    private readonly nint _session;
    private readonly EthernetIpTranslator _translator;
    private readonly FrameQueue _replies;          // produced by the writer (ARP replies), consumed by the reader
    private readonly WaitHandle[] _waitHandles;    // [Wintun read event, reply signal]; preallocated for WaitAny
    private readonly byte[] _replyScratch = new byte[64]; // writer thread only
    private bool _disposed;

    private WintunAdapter(string name, MacAddress mac, nint adapter, nint session, EthernetIpTranslator translator)
        : base(name, mac, Interop.Wintun.MaxIpPacketSize + ShmMacHeader.Size, supportsOffload: false)
    {
        _adapter = adapter;
        _session = session;
        _translator = translator;
        _replies = new FrameQueue(16, 64);
        _waitHandles = [new BorrowedWaitHandle(Interop.Wintun.WintunGetReadWaitEvent(session)), _replies.Signal.WaitHandle];
    }

    /// <summary>The ARP/neighbour translator (counters, learnt neighbours).</summary>
    public EthernetIpTranslator Translator => _translator;

    /// <summary>
    /// Creates (or opens) the Wintun adapter <paramref name="name"/> and starts a session with a ring of
    /// <paramref name="ringCapacity"/> bytes (power of two, 128 KiB..64 MiB). Windows only, as Administrator.
    /// </summary>
    public static WintunAdapter Open(string name, MacAddress mac, IPAddress ipv4, int prefixLength, uint ringCapacity = 0x400000)
    {
        if (!OperatingSystem.IsWindows())
        {
            throw new PlatformNotSupportedException("Wintun adapters exist only on Windows; on Linux use the TAP adapter.");
        }

        if (ringCapacity is < Interop.Wintun.MinRingCapacity or > Interop.Wintun.MaxRingCapacity || (ringCapacity & (ringCapacity - 1)) != 0)
        {
            throw new ArgumentOutOfRangeException(nameof(ringCapacity), ringCapacity, "Wintun ring capacity must be a power of two between 128 KiB and 64 MiB.");
        }

        var translator = new EthernetIpTranslator(mac, ipv4, prefixLength);
        nint adapter;
        try
        {
            adapter = Interop.Wintun.WintunCreateAdapter(name, "ActorNet", null);
        }
        catch (DllNotFoundException e)
        {
            throw new InvalidOperationException("wintun.dll was not found: download the signed Wintun DLL for this architecture and place it next to actornet.exe.", e);
        }

        if (adapter == 0)
        {
            int error = Marshal.GetLastPInvokeError();
            throw new InvalidOperationException($"WintunCreateAdapter('{name}') failed with Windows error {error}: run as Administrator.");
        }

        nint session = Interop.Wintun.WintunStartSession(adapter, ringCapacity);
        if (session == 0)
        {
            int error = Marshal.GetLastPInvokeError();
            Interop.Wintun.WintunCloseAdapter(adapter);
            throw new InvalidOperationException($"WintunStartSession on '{name}' failed with Windows error {error}.");
        }

        return new WintunAdapter(name, mac, adapter, session, translator);
    }

    /// <inheritdoc/>
    public override bool WaitReadable(int timeoutMilliseconds)
    {
        if (_replies.Count > 0)
        {
            return true;
        }

        _replies.Signal.Reset();
        return _replies.Count > 0 || WaitHandle.WaitAny(_waitHandles, timeoutMilliseconds) != WaitHandle.WaitTimeout;
    }

    /// <inheritdoc/>
    protected override int ReadCore(Span<byte> frame, out FrameOffload offload, out bool garbledOffload)
    {
        offload = FrameOffload.None;
        garbledOffload = false;
        int queued = _replies.TryDequeue(frame, out _);
        if (queued > 0)
        {
            return queued;
        }

        while (true)
        {
            uint size;
            byte* packet = Interop.Wintun.WintunReceivePacket(_session, &size);
            if (packet == null)
            {
                int error = Marshal.GetLastPInvokeError();
                return error == Interop.Wintun.ERROR_NO_MORE_ITEMS
                    ? 0
                    : throw new IOException($"WintunReceivePacket on {Name} failed with Windows error {error}.");
            }

            try
            {
                if (size + ShmMacHeader.Size > frame.Length)
                {
                    return (int)size + ShmMacHeader.Size; // oversize: counted by the base
                }

                int n = _translator.Egress(new ReadOnlySpan<byte>(packet, (int)size), frame, out _);
                if (n > 0)
                {
                    return n;
                }
            }
            finally
            {
                Interop.Wintun.WintunReleaseReceivePacket(_session, packet);
            }
        }
    }

    /// <inheritdoc/>
    protected override bool WriteCore(ReadOnlySpan<byte> frame, in FrameOffload offload)
    {
        switch (_translator.Ingress(frame, out int offset, out int length, _replyScratch, out int replyLength))
        {
            case IngressResult.Deliver:
                byte* packet = Interop.Wintun.WintunAllocateSendPacket(_session, (uint)length);
                if (packet == null)
                {
                    return false; // ring full (ERROR_BUFFER_OVERFLOW) or adapter going down
                }

                frame.Slice(offset, length).CopyTo(new Span<byte>(packet, length));
                Interop.Wintun.WintunSendPacket(_session, packet);
                return true;
            case IngressResult.Reply:
                return _replies.TryEnqueue(_replyScratch.AsSpan(0, replyLength), FrameOffload.None);
            case IngressResult.Malformed:
                return false;
            default:
                return true; // consumed or not for us: a NIC silently filters these too
        }
    }

    /// <inheritdoc/>
    protected override void Dispose(bool disposing)
    {
        if (!_disposed)
        {
            _disposed = true;
            Interop.Wintun.WintunEndSession(_session);
            Interop.Wintun.WintunCloseAdapter(_adapter);
            if (disposing)
            {
                _waitHandles[0].Dispose();
                _replies.Signal.Dispose();
            }
        }

        base.Dispose(disposing);
    }

    // Wintun owns its read event (closed by WintunEndSession); this wraps it for WaitHandle.WaitAny without owning it.
    private sealed class BorrowedWaitHandle : WaitHandle
    {
        internal BorrowedWaitHandle(nint handle) => SafeWaitHandle = new SafeWaitHandle(handle, ownsHandle: false);
    }
}
