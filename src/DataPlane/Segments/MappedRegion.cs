using System.IO.MemoryMappedFiles;
using System.Runtime.InteropServices;
using Microsoft.Win32.SafeHandles;

namespace ActorNet.DataPlane.Segments;

/// <summary>
/// A file mapped shared and read-write into this process. Linux: open + ftruncate + mmap(MAP_SHARED) on a
/// file under /dev/shm (the caller gives the path). Windows: a file-backed <see cref="MemoryMappedFile"/>
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
