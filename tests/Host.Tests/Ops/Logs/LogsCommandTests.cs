using System.Text.Json;
using ActorNet.Host.Commands;
using ActorNet.Host.Tests.Commands;
using static ActorNet.Host.Tests.Ops.Logs.LogLines;

namespace ActorNet.Host.Tests.Ops.Logs;

public class LogsCommandTests
{
    private static TempDir ThreeNodes()
    {
        var dir = new TempDir();
        dir.File(FileName(1), string.Join("\n", At(0, 1, "one-a"), At(30, 1, "one-b", "MemberUp", 3001), At(60, 1, "one-c")) + "\n");
        dir.File(FileName(2), string.Join("\n", At(10, 2, "two-a"), At(30, 2, "two-b"), "{\"timestamp\":\"2026-11-21T12:00:00.05Z\",\"lev") + "\n");
        dir.File(FileName(3), string.Join("\n", At(20, 3, "three-a", "MemberUp", 3001), "not json", "{}", At(70, 3, "three-b")) + "\n");
        dir.File("notes.txt", "not a log\n");
        return dir;
    }

    private static string[] Messages(string output) =>
        output.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => l[(l.LastIndexOf(": ", StringComparison.Ordinal) + 2)..]).ToArray();

    [Fact]
    public void Logs_SeveralNodeFiles_OneChronologicalTimelineAndMalformedReportedOnce()
    {
        using var dir = ThreeNodes();
        var (code, output, error) = CliRunner.Run("logs", "--dir", dir.Path);

        code.ShouldBe(ExitCodes.Ok, error);
        Messages(output).ShouldBe(["one-a", "two-a", "three-a", "one-b", "two-b", "one-c", "three-b"]);
        output.ShouldContain("2026-11-21 12:00:00.020 [node-3#3] INF MemberUp: three-a\n");
        var problems = error.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        problems.Length.ShouldBe(2);
        problems[0].ShouldStartWith("1 malformed line skipped in demo-node-2.jsonl (first at line 3: not JSON");
        problems[1].ShouldStartWith("2 malformed lines skipped in demo-node-3.jsonl (first at line 2: not JSON");
    }

    [Fact]
    public void Logs_Filters_NodeEventAndSinceCombine()
    {
        using var dir = ThreeNodes();
        Messages(CliRunner.Run("logs", "--dir", dir.Path, "--node", "1").Out).ShouldBe(["one-a", "one-b", "one-c"]);
        Messages(CliRunner.Run("logs", "--dir", dir.Path, "--event", "memberup").Out).ShouldBe(["three-a", "one-b"]);
        Messages(CliRunner.Run("logs", "--dir", dir.Path, "--event", "3001", "--node", "3").Out).ShouldBe(["three-a"]);
        Messages(CliRunner.Run("logs", "--dir", dir.Path, "--since", "2026-11-21T12:00:00.030Z").Out).ShouldBe(["one-b", "two-b", "one-c", "three-b"]);

        // Relative: everything in the files is long ago (2026-11-21 12:00 is before any run of this test), so 5m leaves nothing
        // unless the clock is earlier; a duration of many years brings everything back.
        Messages(CliRunner.Run("logs", "--dir", dir.Path, "--since", "36500d").Out).Length.ShouldBe(7);
    }

    [Fact]
    public void Logs_Json_PassesTheLinesThroughInTimelineOrder()
    {
        using var dir = ThreeNodes();
        var (code, output, _) = CliRunner.Run("logs", "--dir", dir.Path, "--json", "--node", "2");
        code.ShouldBe(ExitCodes.Ok);
        var lines = output.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        lines.ShouldBe([At(10, 2, "two-a"), At(30, 2, "two-b")]);
        foreach (var line in lines)
        {
            using var _ = JsonDocument.Parse(line);
        }
    }

    [Fact]
    public void Logs_RestartedNode_MarksTheNewIncarnation()
    {
        using var dir = new TempDir();
        dir.File(FileName(1), Line(T0, 1, "before", incarnation: 11) + "\n" + Line(T0.AddSeconds(1), 1, "after", incarnation: 12) + "\n");
        var output = CliRunner.Run("logs", "--dir", dir.Path).Out;
        output.ShouldContain("---- [node-1#1] restarted: incarnation 11 -> 12\n");
        output.IndexOf("before", StringComparison.Ordinal).ShouldBeLessThan(output.IndexOf("restarted", StringComparison.Ordinal));
    }

    [Fact]
    public void Logs_ControlCharactersInAMessage_AreEscaped()
    {
        using var dir = new TempDir();
        dir.File(FileName(1), At(0, 1, "red \u001b[31m alert") + "\n");
        CliRunner.Run("logs", "--dir", dir.Path).Out.ShouldContain("red \\u001b[31m alert");
    }

    [Fact]
    public void Logs_FolderFromTheConfiguration_IsRead()
    {
        using var dir = ThreeNodes();
        using var conf = new TempDir();
        var noRun = "actornet.orchestration.run-folder = " + JsonSerializer.Serialize(Path.Combine(conf.Path, "no-run")) + "\n";
        var file = conf.File("c.conf", noRun + "actornet.logging.file.folder = " + JsonSerializer.Serialize(dir.Path) + "\n");
        Messages(CliRunner.Run("logs", "--config", file, "--node", "3").Out).ShouldBe(["three-a", "three-b"]);
        var other = conf.File("other.conf", noRun);
        Messages(CliRunner.Run("logs", "--config", other, "-D", "actornet.logging.file.folder=" + dir.Path, "--node", "2").Out).ShouldBe(["two-a", "two-b"]);
    }

    [Fact]
    public void Logs_ClusterStartedByUp_ReadsTheFolderUpGaveItsNodes()
    {
        using var run = new TempDir();
        var logs = Path.Combine(run.Path, "demo-x", "logs");
        Directory.CreateDirectory(logs);
        File.WriteAllText(Path.Combine(logs, FileName(1)), At(0, 1, "from up") + "\n");
        var file = run.File("c.conf", "actornet.cluster.name = demo-x\nactornet.orchestration.run-folder = " + JsonSerializer.Serialize(run.Path) + "\n");

        var (code, output, error) = CliRunner.Run("logs", "--config", file);

        code.ShouldBe(ExitCodes.Ok, error);
        Messages(output).ShouldBe(["from up"]);
        error.ShouldContain("reading the logs of the nodes `actornet up` started: " + logs);
    }

    [Fact]
    public void Logs_BadInput_ExitsWithAClearMessage()
    {
        using var dir = ThreeNodes();
        var since = CliRunner.Run("logs", "--dir", dir.Path, "--since", "tomorrow-ish");
        since.Code.ShouldBe(ExitCodes.InvalidInput);
        since.Error.ShouldContain("--since tomorrow-ish: expected a duration ago");

        var node = CliRunner.Run("logs", "--dir", dir.Path, "--node", "0");
        node.Code.ShouldBe(ExitCodes.InvalidInput);
        node.Error.ShouldContain("node ids are 1..65534");

        var missing = CliRunner.Run("logs", "--dir", Path.Combine(dir.Path, "nope"));
        missing.Code.ShouldBe(ExitCodes.Failed);
        missing.Error.ShouldContain("no log folder");

        var badConfig = CliRunner.Run("logs", "-D", "actornet.logging.file.folder=\"\"");
        badConfig.Code.ShouldBe(ExitCodes.InvalidInput);
        badConfig.Error.ShouldContain("actornet.logging.file.folder");
    }

    [Fact]
    public async Task Logs_Follow_PrintsAppendedLinesAndNewFilesUntilCancelled()
    {
        using var dir = new TempDir();
        dir.File(FileName(1), At(0, 1, "existing") + "\n");
        using var output = new StringWriter();
        using var error = new StringWriter();
        var synchronizedOut = TextWriter.Synchronized(output);
        var context = new CliContext(synchronizedOut, TextWriter.Synchronized(error), new Dictionary<string, string>());
        using var stop = new CancellationTokenSource();
        var run = Task.Run(() => LogsCommand.RunAsync(context, new LogsRequest(null, [], dir.Path, true, null, null, null, false), DateTimeOffset.UtcNow, stop.Token));
        try
        {
            await WaitFor(() => output.ToString().Contains("existing", StringComparison.Ordinal));

            // A line is appended in two writes (the reader must wait for its newline), a new node's file appears, garbage arrives.
            var line = At(20, 1, "appended");
            File.AppendAllText(Path.Combine(dir.Path, FileName(1)), line[..15]);
            await Task.Delay(600);
            File.AppendAllText(Path.Combine(dir.Path, FileName(1)), line[15..] + "\n");
            dir.File(FileName(2), At(10, 2, "new file") + "\nbroken\n");
            await WaitFor(() => output.ToString().Contains("appended", StringComparison.Ordinal) && output.ToString().Contains("new file", StringComparison.Ordinal));
        }
        finally
        {
            await stop.CancelAsync();
        }

        (await run.WaitAsync(TimeSpan.FromSeconds(30))).ShouldBe(ExitCodes.Ok);
        var messages = Messages(output.ToString());
        messages[0].ShouldBe("existing");
        messages.Count(m => m == "appended").ShouldBe(1);
        messages.Length.ShouldBe(3);
        error.ToString().ShouldContain("1 malformed line skipped in demo-node-2.jsonl");
    }

    private static async Task WaitFor(Func<bool> condition)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(30);
        while (!condition())
        {
            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException("condition not met within 30 s");
            }

            await Task.Delay(50);
        }
    }
}
