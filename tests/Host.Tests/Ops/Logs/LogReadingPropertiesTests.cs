using System.Text;
using ActorNet.Host.Ops.Logs;
using FsCheck;
using FsCheck.Fluent;
using static ActorNet.Host.Tests.Ops.Logs.LogLines;

namespace ActorNet.Host.Tests.Ops.Logs;

public class LogReadingPropertiesTests
{
    [Fact]
    public void TryParse_AnyBytes_NeverThrows()
    {
        Prop.ForAll<byte[]>(bytes =>
        {
            var record = LogLineParser.TryParse(bytes ?? [], "x.jsonl", 1, out var problem);
            return record is not null || problem is not null;
        }).QuickCheckThrowOnFailure();
    }

    [Fact]
    public void ReadAvailable_FileWrittenInAnyPieces_YieldsTheSameAsReadingItOnce()
    {
        // Lines: valid events and garbage; the file is appended in pieces cut at arbitrary byte offsets and read after each.
        var line = Gen.OneOf(
            Gen.Choose(0, 1000).Select(ms => At(ms, 1, "m" + ms)),
            Gen.Elements("garbage", "{\"timestamp\":\"bad\"}", "[]", "", "ünïcödé ✓"));
        var scenario = Gen.ListOf(line).Zip(Gen.ListOf(Gen.Choose(0, 4000)));
        Prop.ForAll(scenario.ToArbitrary(), s =>
        {
            var (lines, cuts) = s;
            var bytes = Encoding.UTF8.GetBytes(string.Join("\n", lines) + "\n");
            using var dir = new TempDir();
            var once = Read(dir.File("once.jsonl", Encoding.UTF8.GetString(bytes)), null);
            var path = Path.Combine(dir.Path, "pieces.jsonl");
            File.WriteAllBytes(path, []);
            var pieces = Read(path, (reader, collected) =>
            {
                var offset = 0;
                foreach (var cut in cuts.Select(c => Math.Min(c, bytes.Length)).Order())
                {
                    using (var stream = new FileStream(path, FileMode.Append))
                    {
                        stream.Write(bytes, offset, cut - offset);
                    }

                    offset = cut;
                    collected.AddRange(reader.ReadAvailable(includeUnterminatedTail: false).Select(r => r.Message + "@" + r.Line));
                }

                using (var stream = new FileStream(path, FileMode.Append))
                {
                    stream.Write(bytes, offset, bytes.Length - offset);
                }
            });
            return once.Records.SequenceEqual(pieces.Records) && once.Malformed == pieces.Malformed;
        }).QuickCheckThrowOnFailure();
    }

    private static (List<string> Records, int Malformed) Read(string path, Action<LogFileReader, List<string>>? write)
    {
        using var reader = new LogFileReader(path);
        var messages = new List<string>();
        write?.Invoke(reader, messages);
        messages.AddRange(reader.ReadAvailable(includeUnterminatedTail: true).Select(r => r.Message + "@" + r.Line));
        return (messages, reader.Malformed);
    }
}
