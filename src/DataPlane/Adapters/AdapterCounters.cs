namespace ActorNet.DataPlane.Adapters;

/// <summary>
/// Counters of one adapter. The read-side counters are written by the thread that reads the adapter, the write-side
/// counters by the thread that writes it (one each); anyone may read them through the properties.
/// </summary>
public sealed class AdapterCounters
{
    internal long _framesRead;         // written by the reader
    internal long _bytesRead;          // written by the reader
    internal long _runts;              // written by the reader
    internal long _oversize;           // written by the reader
    internal long _garbled;            // written by the reader
    internal long _framesWritten;      // written by the writer
    internal long _bytesWritten;       // written by the writer
    internal long _writeDrops;         // written by the writer
    internal long _offloadUnsupported; // written by the writer

    /// <summary>Valid frames returned by Read.</summary>
    public long FramesRead => Volatile.Read(ref _framesRead);

    /// <summary>Bytes of valid frames returned by Read.</summary>
    public long BytesRead => Volatile.Read(ref _bytesRead);

    /// <summary>Frames from the device shorter than an Ethernet header, dropped.</summary>
    public long Runts => Volatile.Read(ref _runts);

    /// <summary>Frames from the device larger than the caller's buffer or the adapter's maximum, dropped.</summary>
    public long Oversize => Volatile.Read(ref _oversize);

    /// <summary>
    /// Frames from the device with impossible contents (control bit or group address as source, invalid offload
    /// header), dropped.
    /// </summary>
    public long Garbled => Volatile.Read(ref _garbled);

    /// <summary>Frames handed to the device.</summary>
    public long FramesWritten => Volatile.Read(ref _framesWritten);

    /// <summary>Bytes handed to the device.</summary>
    public long BytesWritten => Volatile.Read(ref _bytesWritten);

    /// <summary>Frames the device refused (queue full, invalid, too large) and were dropped.</summary>
    public long WriteDrops => Volatile.Read(ref _writeDrops);

    /// <summary>Super-frames (GSO) dropped because this adapter cannot take them and software segmentation cannot cut their kind (e.g. legacy UFO).</summary>
    public long OffloadUnsupported => Volatile.Read(ref _offloadUnsupported);
}
