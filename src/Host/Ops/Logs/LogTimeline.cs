using System.Globalization;

namespace ActorNet.Host.Ops.Logs;

/// <summary>
/// The merged timeline of a log folder: every <c>*.jsonl</c> file in it (one per node, plus the rolled
/// <c>_NNN</c> files), read and merged into one chronological sequence (<see cref="LogMerge"/>), filtered, and handed
/// to a callback. <see cref="ReadOnce"/> reads what is there; <see cref="FollowAsync"/> then keeps polling every file,
/// including files that appear later, until cancelled. Files are read with shared access and never written.
/// Used by one thread (the command's); owns the open readers until disposed.
/// </summary>
/// <remarks>
/// While following, each poll merges the lines that arrived since the previous poll; a line written to one file
/// after a later-stamped line of another file was already printed comes out after it (the nodes' writers are
/// asynchronous, so strict order across files is not knowable while they are still writing).
/// </remarks>
internal sealed class LogTimeline : IDisposable
{
    private readonly string _directory;
    private readonly LogFilter _filter;
    private readonly Action<LogRecord> _emit;
    private readonly int _maxLineBytes;
    private readonly SortedDictionary<string, LogFileReader> _readers = new(StringComparer.Ordinal);
    private readonly Dictionary<string, string> _unreadable = new(StringComparer.Ordinal);

    /// <summary>Creates a timeline over <paramref name="directory"/>; nothing is read until a method is called.</summary>
    /// <param name="directory">The log folder (<c>actornet.logging.file.folder</c>).</param>
    /// <param name="filter">Which events to pass to <paramref name="emit"/>.</param>
    /// <param name="emit">Receives the matching events in timeline order, on the calling thread.</param>
    /// <param name="maxLineBytes">Longest line accepted per file; longer lines are counted malformed.</param>
    public LogTimeline(string directory, LogFilter filter, Action<LogRecord> emit, int maxLineBytes = LogFileReader.DefaultMaxLineBytes)
    {
        _directory = directory;
        _filter = filter;
        _emit = emit;
        _maxLineBytes = maxLineBytes;
    }

    /// <summary>Names of the files read so far, in name order.</summary>
    public IReadOnlyCollection<string> Files => _readers.Values.Select(r => r.Name).ToArray();

    /// <summary>
    /// Reads every file to its end (an unterminated last line counts as a line: a crash leaves one), merges and
    /// emits. Returns the number of events emitted.
    /// </summary>
    public long ReadOnce()
    {
        Discover();
        return EmitMerged(includeUnterminatedTail: true);
    }

    /// <summary>
    /// Prints what is there, then polls every <paramref name="pollInterval"/> for new lines and new files until
    /// <paramref name="cancellation"/> fires; returns normally (not by exception) when cancelled. A line still being
    /// written (no newline yet) waits for its end.
    /// </summary>
    public async Task FollowAsync(TimeSpan pollInterval, CancellationToken cancellation)
    {
        Discover();
        EmitMerged(includeUnterminatedTail: false);
        while (!cancellation.IsCancellationRequested)
        {
            try
            {
                await Task.Delay(pollInterval, cancellation).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                break;
            }

            Discover();
            EmitMerged(includeUnterminatedTail: false);
        }
    }

    /// <summary>
    /// One line per file with malformed lines, e.g. <c>3 malformed lines skipped in node-2.jsonl (first at line 7: not JSON)</c>,
    /// and one per file that could not be opened.
    /// </summary>
    public IReadOnlyList<string> Problems()
    {
        var problems = new List<string>();
        foreach (var reader in _readers.Values.Where(r => r.Malformed > 0))
        {
            var count = reader.Malformed.ToString(CultureInfo.InvariantCulture);
            var noun = reader.Malformed == 1 ? "line" : "lines";
            problems.Add($"{count} malformed {noun} skipped in {reader.Name} (first at {reader.FirstProblem})");
        }

        foreach (var (name, reason) in _unreadable)
        {
            problems.Add($"{name} could not be read: {reason}");
        }

        return problems;
    }

    /// <summary>Closes every file.</summary>
    public void Dispose()
    {
        foreach (var reader in _readers.Values)
        {
            reader.Dispose();
        }

        _readers.Clear();
    }

    private void Discover()
    {
        if (!Directory.Exists(_directory))
        {
            return;
        }

        IEnumerable<string> files;
        try
        {
            files = Directory.EnumerateFiles(_directory, "*.jsonl", SearchOption.TopDirectoryOnly).ToArray();
        }
        catch (IOException)
        {
            return;
        }
        catch (UnauthorizedAccessException)
        {
            return;
        }

        foreach (var file in files)
        {
            var name = Path.GetFileName(file);
            if (_readers.ContainsKey(name) || _unreadable.ContainsKey(name))
            {
                continue;
            }

            try
            {
                _readers.Add(name, new LogFileReader(file, _maxLineBytes));
            }
            catch (FileNotFoundException)
            {
                // Deleted between listing and opening: nothing to read.
            }
            catch (IOException ex)
            {
                _unreadable[name] = ex.Message;
            }
            catch (UnauthorizedAccessException ex)
            {
                _unreadable[name] = ex.Message;
            }
        }
    }

    private long EmitMerged(bool includeUnterminatedTail)
    {
        var batches = new List<IEnumerable<LogRecord>>(_readers.Count);
        foreach (var reader in _readers.Values)
        {
            batches.Add(reader.Read(includeUnterminatedTail));
        }

        long emitted = 0;
        foreach (var record in LogMerge.Merge(batches, r => r.Timestamp))
        {
            if (_filter.Matches(record))
            {
                _emit(record);
                emitted++;
            }
        }

        return emitted;
    }
}
