using System.Runtime.InteropServices;

namespace ActorNet.DataPlane;

internal static partial class Interop
{
    /// <summary>
    /// libc calls for network namespaces, used by ActorNet.Host's platform helper (through InternalsVisibleTo, since
    /// only this project may contain the unsafe code the LibraryImport generator emits) and by tests that open a TAP
    /// inside a namespace.
    /// </summary>
    internal static partial class Netns
    {
        internal const int CLONE_NEWNET = 0x40000000;
        internal const nuint MS_BIND = 4096;
        internal const nuint MS_REC = 16384;
        internal const nuint MS_SHARED = 1 << 20;
        internal const int MNT_DETACH = 2;

        [LibraryImport("libc", EntryPoint = "setns", SetLastError = true)]
        internal static partial int setns(int fd, int nstype);

        [LibraryImport("libc", EntryPoint = "unshare", SetLastError = true)]
        internal static partial int unshare(int flags);

        [LibraryImport("libc", EntryPoint = "mount", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
        internal static partial int mount(string? source, string target, string? fileSystemType, nuint flags, nint data);

        [LibraryImport("libc", EntryPoint = "umount2", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
        internal static partial int umount2(string target, int flags);

        [LibraryImport("libc", EntryPoint = "geteuid")]
        internal static partial uint geteuid();

        [LibraryImport("libc", EntryPoint = "open", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
        internal static partial int open(string path, int flags);

        [LibraryImport("libc", EntryPoint = "close", SetLastError = true)]
        internal static partial int close(int fd);
    }
}
