using System.IO.MemoryMappedFiles;
using System.Runtime.InteropServices;
using Microsoft.Win32.SafeHandles;

namespace ActorNet.DataPlane.Segments;

/// <summary>
/// A file mapped shared and read-write into this process. Linux: open + ftruncate + posix_fallocate + mmap(MAP_SHARED)
/// on a file under /dev/shm (the caller gives the path). Every page is allocated when the segment is created, so a
/// full /dev/shm fails here with a message instead of a SIGBUS on the data path later, and no frame pays for
/// allocating and zeroing a page (on the build VM, the first lap of ping round trips through fresh rings cost about
/// 40 µs more each; pre-faulting the mappings as well, with MAP_POPULATE, made every round trip milliseconds slower
/// and is not done). Windows: a file-backed <see cref="MemoryMappedFile"/>
/// (compiled, not tested on Windows). Owned by one <see cref="SharedSegment"/>; unmapped on dispose.
/// </summary>
internal sealed unsafe class MappedRegion : IDisposable
{
    private readonly MemoryMappedFile? _mmf;
    private readonly MemoryMappedViewAccessor? _view;
    private byte* _base;

    private MappedRegion(byte* @base, long length, MemoryMappedFile? mmf, MemoryMappedViewAccessor? view)
    {
        _base = @base;
        Length = length;
        _mmf = mmf;
        _view = view;
    }

    /// <summary>First byte of the mapping; valid until <see cref="Dispose"/>.</summary>
    public byte* Base => _base;

    /// <summary>Mapped length in bytes.</summary>
    public long Length { get; }

    /// <summary>Creates a new file of <paramref name="length"/> zero bytes (fails if it exists) and maps it.</summary>
    public static MappedRegion CreateNew(string path, long length)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(path))!);
        var options = new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.ReadWrite, Share = FileShare.ReadWrite };
        if (!OperatingSystem.IsWindows())
        {
            options.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
        }

        using var fs = new FileStream(path, options);
        fs.SetLength(length);
        if (!OperatingSystem.IsWindows())
        {
            Reserve(fs, path, length);
        }

        return Map(fs, path, length);
    }

    /// <summary>Maps an existing file read-write; the caller validates the contents.</summary>
    public static MappedRegion OpenExisting(string path, long minLength, long maxLength)
    {
        using var fs = new FileStream(path, FileMode.Open, FileAccess.ReadWrite, FileShare.ReadWrite | FileShare.Delete);
        if (!fs.CanSeek)
        {
            throw new SegmentFormatException($"{path}: not a regular file (a FIFO, socket or device): not a segment.");
        }

        long length = fs.Length;
        if (length < minLength || length > maxLength)
        {
            throw new SegmentFormatException($"{path}: file size {length} is outside [{minLength}, {maxLength}]: not a segment of this ABI.");
        }

        return Map(fs, path, length);
    }

    // Allocates every page of the new file now; a file system without fallocate (EOPNOTSUPP) keeps it sparse.
    private static void Reserve(FileStream fs, string path, long length)
    {
        int fd = (int)fs.SafeFileHandle.DangerousGetHandle();
        int error;
        do
        {
            error = Interop.Libc.posix_fallocate(fd, 0, length);
        }
        while (error == Interop.Libc.EINTR);

        if (error is 0 or Interop.Libc.EOPNOTSUPP)
        {
            return;
        }

        try
        {
            File.Delete(path); // still open: unlinking is fine on Linux, and the caller closes it
        }
        catch (IOException)
        {
        }

        var folder = Path.GetDirectoryName(Path.GetFullPath(path))!;
        var hint = error == Interop.Libc.ENOSPC
            ? $" {folder} has {FreeBytes(folder) / (1 << 20)} MiB free: free space there (e.g. leftovers of crashed clusters: actornet down), or make the segment smaller (actornet.networks.<local|global>.ring-depth or .mtu)."
            : string.Empty;
        throw new IOException($"{path}: cannot reserve {length} bytes of shared memory: {Marshal.GetPInvokeErrorMessage(error)} (errno {error}).{hint}");
    }

    private static long FreeBytes(string folder)
    {
        try
        {
            return new DriveInfo(folder).AvailableFreeSpace;
        }
        catch (Exception ex) when (ex is IOException or ArgumentException or UnauthorizedAccessException)
        {
            return -1;
        }
    }

    private static MappedRegion Map(FileStream fs, string path, long length)
    {
        if (OperatingSystem.IsWindows())
        {
            var mmf = MemoryMappedFile.CreateFromFile(fs, null, length, MemoryMappedFileAccess.ReadWrite, HandleInheritability.None, leaveOpen: true);
            var view = mmf.CreateViewAccessor(0, length, MemoryMappedFileAccess.ReadWrite);
            byte* p = null;
            view.SafeMemoryMappedViewHandle.AcquirePointer(ref p);
            return new MappedRegion(p + view.PointerOffset, length, mmf, view);
        }

        SafeFileHandle handle = fs.SafeFileHandle;
        int fd = (int)handle.DangerousGetHandle();
        void* addr = Interop.Libc.mmap(null, (nuint)length, Interop.Libc.PROT_READ | Interop.Libc.PROT_WRITE, Interop.Libc.MAP_SHARED, fd, 0);
        if (addr == (void*)-1)
        {
            int errno = Marshal.GetLastPInvokeError();
            throw new IOException($"{path}: mmap of {length} bytes failed: {Marshal.GetPInvokeErrorMessage(errno)} (errno {errno}).");
        }

        return new MappedRegion((byte*)addr, length, null, null);
    }

    /// <summary>Unmaps the region. Any pointer into it is invalid afterwards.</summary>
    public void Dispose()
    {
        if (_base == null)
        {
            return;
        }

        if (_view is not null)
        {
            _view.SafeMemoryMappedViewHandle.ReleasePointer();
            _view.Dispose();
            _mmf!.Dispose();
        }
        else
        {
            _ = Interop.Libc.munmap(_base, (nuint)Length);
        }

        _base = null;
    }
}
