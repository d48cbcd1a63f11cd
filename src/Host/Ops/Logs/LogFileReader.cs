using System.Buffers;
using System.Globalization;

namespace ActorNet.Host.Ops.Logs;

/// <summary>
/// Reads one JSON-lines log file incrementally: each call returns the complete lines appended since the last one,
/// parsed, and counts the lines that do not parse (<see cref="Malformed"/>). The file stays open (shared for
/// reading, writing and deletion, so the node keeps logging); a file that shrinks was truncated or replaced and is
/// read again from its start. Lines longer than <see cref="MaxLineBytes"/> are skipped as malformed without being
/// held in memory. Used by one thread at a time (the <c>actornet logs</c> loop); owns its file handle.
/// </summary>
internal sealed class LogFileReader : IDisposable
{
    /// <summary>Default longest line accepted (1 MiB); a longer one is skipped and counted as malformed.</summary>
    public const int DefaultMaxLineBytes = 1 << 20;

    private const int ChunkBytes = 64 * 1024;

    private readonly FileStream _stream;
    private readonly byte[] _chunk = new byte[ChunkBytes];
    private readonly ArrayBufferWriter<byte> _pending = new(4096);
    private bool _skippingOverlong;
    private long _lineNumber;
    private long _position;

    /// <summary>Opens <paramref name="path"/> for shared reading.</summary>
    /// <exception cref="IOException">The file cannot be opened.</exception>
    /// <exception cref="UnauthorizedAccessException">The file cannot be read by this user.</exception>
    public LogFileReader(string path, int maxLineBytes = DefaultMaxLineBytes)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(maxLineBytes, 16);
        Path = path;
        Name = System.IO.Path.GetFileName(path);
        MaxLineBytes = maxLineBytes;
        _stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete, bufferSize: 1, FileOptions.SequentialScan);
    }

    /// <summary>Full path of the file.</summary>
    public string Path { get; }

    /// <summary>File name without its folder: what the timeline and the malformed-line report show.</summary>
    public string Name { get; }

    /// <summary>Longest line, in bytes, that is parsed; longer lines are counted malformed.</summary>
    public int MaxLineBytes { get; }

    /// <summary>Lines skipped because they did not parse or were too long.</summary>
    public int Malformed { get; private set; }

    /// <summary>Line number and reason of the first malformed line, null while there is none.</summary>
    public string? FirstProblem { get; private set; }

    /// <summary>
    /// Reads everything appended since the last call and returns the records of the complete lines, in file order.
    /// When <paramref name="includeUnterminatedTail"/> is true the bytes after the last newline are taken as a final
    /// line too (use it when the file is read once: a crash leaves its last line without a newline); otherwise they
    /// wait for the writer to finish the line.
    /// </summary>
    public List<LogRecord> ReadAvailable(bool includeUnterminatedTail) => Read(includeUnterminatedTail).ToList();

    /// <summary>
    /// Like <see cref="ReadAvailable"/>, but lazily: the file is read one 64 KiB chunk at a time as the caller
    /// enumerates, so a large file is never held in memory. Enumerate it to the end before reading again.
    /// </summary>
    public IEnumerable<LogRecord> Read(bool includeUnterminatedTail)
    {
        long length;
        try
        {
            length = _stream.Length;
        }
        catch (IOException)
        {
            yield break;
        }

        if (length < _position)
        {
            // Truncated or replaced under the same name: start over.
            _position = 0;
            _pending.Clear();
            _skippingOverlong = false;
            _lineNumber = 0;
        }

        var records = new List<LogRecord>();
        while (true)
        {
            int read;
            try
            {
                _stream.Position = _position;
                read = _stream.Read(_chunk, 0, _chunk.Length);
            }
            catch (IOException)
            {
                yield break;
            }

            if (read <= 0)
            {
                break;
            }

            _position += read;
            records.Clear();
            Consume(_chunk.AsSpan(0, read), records);
            foreach (var record in records)
            {
                yield return record;
            }
        }

        if (includeUnterminatedTail && (_pending.WrittenCount > 0 || _skippingOverlong))
        {
            records.Clear();
            EndLine(records);
            foreach (var record in records)
            {
                yield return record;
            }
        }
    }

    /// <summary>Closes the file.</summary>
    public void Dispose() => _stream.Dispose();

    private void Consume(ReadOnlySpan<byte> data, List<LogRecord> records)
    {
        while (!data.IsEmpty)
        {
            var newline = data.IndexOf((byte)'\n');
            var part = newline < 0 ? data : data[..newline];
            if (!_skippingOverlong)
            {
                if (_pending.WrittenCount + part.Length > MaxLineBytes)
                {
                    _skippingOverlong = true;
                    _pending.Clear();
                }
                else
                {
                    _pending.Write(part);
                }
            }

            if (newline < 0)
            {
                return;
            }

            EndLine(records);
            data = data[(newline + 1)..];
        }
    }

    private void EndLine(List<LogRecord> records)
    {
        _lineNumber++;
        if (_skippingOverlong)
        {
            _skippingOverlong = false;
            _pending.Clear();
            CountMalformed($"longer than {MaxLineBytes.ToString(CultureInfo.InvariantCulture)} bytes");
            return;
        }

        var line = _pending.WrittenMemory;
        if (line.Length > 0 && line.Span[^1] == (byte)'\r')
        {
            line = line[..^1];
        }

        if (line.Span.Trim(" \t"u8).IsEmpty)
        {
            _pending.Clear();
            return; // blank lines carry nothing; they are not counted as damage
        }

        var record = LogLineParser.TryParse(line, Name, _lineNumber, out var problem);
        _pending.Clear();
        if (record is null)
        {
            CountMalformed(problem ?? "unreadable");
        }
        else
        {
            records.Add(record);
        }
    }

    private void CountMalformed(string problem)
    {
        Malformed++;
        FirstProblem ??= $"line {_lineNumber.ToString(CultureInfo.InvariantCulture)}: {problem}";
    }
}
