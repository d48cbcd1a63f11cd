using System.Runtime.InteropServices;

namespace ActorNet.DataPlane;

internal static partial class Interop
{
    /// <summary>
    /// wintun.dll (WireGuard's layer-3 TUN driver for Windows), names as in its <c>wintun.h</c>. The DLL is not
    /// shipped with ActorNet: place the signed wintun.dll matching the architecture next to the executable.
    /// </summary>
    internal static unsafe partial class Wintun
    {
        internal const string Library = "wintun.dll";

        [LibraryImport(Library, EntryPoint = "WintunCreateAdapter", SetLastError = true, StringMarshalling = StringMarshalling.Utf16)]
        internal static partial nint WintunCreateAdapter(string name, string tunnelType, Guid* requestedGuid);

        [LibraryImport(Library, EntryPoint = "WintunCloseAdapter")]
        internal static partial void WintunCloseAdapter(nint adapter);

        [LibraryImport(Library, EntryPoint = "WintunStartSession", SetLastError = true)]
        internal static partial nint WintunStartSession(nint adapter, uint capacity);

        [LibraryImport(Library, EntryPoint = "WintunEndSession")]
        internal static partial void WintunEndSession(nint session);

        [LibraryImport(Library, EntryPoint = "WintunGetReadWaitEvent")]
        internal static partial nint WintunGetReadWaitEvent(nint session);

        [LibraryImport(Library, EntryPoint = "WintunReceivePacket", SetLastError = true)]
        internal static partial byte* WintunReceivePacket(nint session, uint* packetSize);

        [LibraryImport(Library, EntryPoint = "WintunReleaseReceivePacket")]
        internal static partial void WintunReleaseReceivePacket(nint session, byte* packet);

        [LibraryImport(Library, EntryPoint = "WintunAllocateSendPacket", SetLastError = true)]
        internal static partial byte* WintunAllocateSendPacket(nint session, uint packetSize);

        [LibraryImport(Library, EntryPoint = "WintunSendPacket")]
        internal static partial void WintunSendPacket(nint session, byte* packet);

        internal const int ERROR_NO_MORE_ITEMS = 259;
        internal const int ERROR_HANDLE_EOF = 38;
        internal const int ERROR_BUFFER_OVERFLOW = 111;
        internal const uint MinRingCapacity = 0x20000;
        internal const uint MaxRingCapacity = 0x4000000;
        internal const int MaxIpPacketSize = 0xFFFF;
    }
}
