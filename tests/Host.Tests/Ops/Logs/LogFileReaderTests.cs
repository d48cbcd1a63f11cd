using System.Text;
using ActorNet.Host.Ops.Logs;
using static ActorNet.Host.Tests.Ops.Logs.LogLines;

namespace ActorNet.Host.Tests.Ops.Logs;

public class LogFileReaderTests
{
    [Fact]
    public void ReadAvailable_GarbageAndCrashTruncatedLines_SkipsAndCountsThem()
    {
        using var dir = new TempDir();
        var full = At(0, 2, "first");
        var path = dir.File(FileName(2), full + "\n" + "garbage\n\n" + At(1, 2, "second") + "\n" + full[..(full.Length / 2)]);
        using var reader = new LogFileReader(path);

        var records = reader.ReadAvailable(includeUnterminatedTail: true);

        records.Select(r => r.Message).ShouldBe(["first", "second"]);
        records.Select(r => r.Line).ShouldBe([1L, 4L]);
        reader.Malformed.ShouldBe(2);
        reader.FirstProblem.ShouldNotBeNull().ShouldStartWith("line 2: not JSON");
    }

    [Fact]
    public void ReadAvailable_LineStillBeingWritten_WaitsForItsNewline()
    {
        using var dir = new TempDir();
        var line = At(0, 1, "slow");
        var path = dir.File(FileName(1), line[..10]);
        using var reader = new LogFileReader(path);

        reader.ReadAvailable(includeUnterminatedTail: false).ShouldBeEmpty();
        File.AppendAllText(path, line[10..] + "\n" + At(1, 1, "next") + "\n");
        reader.ReadAvailable(includeUnterminatedTail: false).Select(r => r.Message).ShouldBe(["slow", "next"]);
        reader.ReadAvailable(includeUnterminatedTail: false).ShouldBeEmpty();
        reader.Malformed.ShouldBe(0);
    }

    [Fact]
    public void ReadAvailable_OverlongLine_SkippedWithoutHoldingIt()
    {
        using var dir = new TempDir();
        var huge = "{\"timestamp\":\"2026-11-21T12:00:00Z\",\"message\":\"" + new string('x', 300_000) + "\"}";
        var path = dir.File(FileName(1), huge + "\n" + At(5, 1, "after") + "\n");
        using var reader = new LogFileReader(path, maxLineBytes: 4096);

        reader.ReadAvailable(includeUnterminatedTail: true).ShouldHaveSingleItem().Message.ShouldBe("after");
        reader.Malformed.ShouldBe(1);
        reader.FirstProblem.ShouldBe("line 1: longer than 4096 bytes");
    }

    [Fact]
    public void ReadAvailable_FileTruncated_StartsOverFromTheBeginning()
    {
        using var dir = new TempDir();
        var path = dir.File(FileName(1), At(0, 1, "old one") + "\n" + At(1, 1, "old two") + "\n");
        using var reader = new LogFileReader(path);
        reader.ReadAvailable(false).Count.ShouldBe(2);

        File.WriteAllText(path, At(2, 1, "new") + "\n");

        reader.ReadAvailable(false).ShouldHaveSingleItem().Message.ShouldBe("new");
    }

    [Fact]
    public void Read_CrlfLineEndings_AreAccepted()
    {
        using var dir = new TempDir();
        var path = dir.File(FileName(1), At(0, 1, "a") + "\r\n" + At(1, 1, "b") + "\r\n");
        using var reader = new LogFileReader(path);
        reader.Read(false).Select(r => r.Message).ShouldBe(["a", "b"]);
        reader.Malformed.ShouldBe(0);
    }

    [Fact]
    public void Read_LargeFile_StreamsEveryLineAcrossChunks()
    {
        using var dir = new TempDir();
        var text = new StringBuilder();
        for (var i = 0; i < 3000; i++)
        {
            text.Append(At(i, 1, "event " + i)).Append('\n');
        }

        var path = dir.File(FileName(1), text.ToString());
        new FileInfo(path).Length.ShouldBeGreaterThan(3 * 64 * 1024);
        using var reader = new LogFileReader(path);
        var messages = reader.Read(true).Select(r => r.Message).ToArray();
        messages.Length.ShouldBe(3000);
        messages[2999].ShouldBe("event 2999");
        reader.Malformed.ShouldBe(0);
    }
}
