using System.Text;
using ActorNet.Host.Ops.Logs;
using static ActorNet.Host.Tests.Ops.Logs.LogLines;

namespace ActorNet.Host.Tests.Ops.Logs;

public class LogFilterTests
{
    private static readonly DateTimeOffset s_now = new(2026, 11, 21, 15, 0, 0, TimeSpan.Zero);

    private static LogRecord Record(int ms, int node, string? name, int? id) =>
        LogLineParser.TryParse(Encoding.UTF8.GetBytes(At(ms, node, "m", name, id)), FileName(node), 1, out _)!;

    [Theory]
    [InlineData("5m", 0, 5, 0)]
    [InlineData("2h", 2, 0, 0)]
    [InlineData("30s", 0, 0, 30)]
    [InlineData("90 seconds", 0, 1, 30)]
    [InlineData("1d", 24, 0, 0)]
    public void TryParseSince_Duration_IsThatLongBeforeNow(string text, int hours, int minutes, int seconds)
    {
        LogFilter.TryParseSince(text, s_now, out var since, out var error).ShouldBeTrue(error);
        since.ShouldBe(s_now - new TimeSpan(hours, minutes, seconds));
    }

    [Theory]
    [InlineData("2026-11-21T14:03:04Z", 14)]
    [InlineData("2026-11-21T16:03:04+02:00", 14)]
    [InlineData("2026-11-21T14:03:04", 14)]
    [InlineData("2026-11-21 14:03:04", 14)]
    public void TryParseSince_IsoTime_IsThatInstantWithUtcAsDefault(string text, int utcHour)
    {
        LogFilter.TryParseSince(text, s_now, out var since, out var error).ShouldBeTrue(error);
        since.ShouldBe(new DateTimeOffset(2026, 11, 21, utcHour, 3, 4, TimeSpan.Zero));
    }

    [Theory]
    [InlineData("")]
    [InlineData("soon")]
    [InlineData("5 parsecs")]
    [InlineData("-5m")]
    [InlineData("infinite")]
    public void TryParseSince_Garbage_FailsNamingTheAcceptedForms(string text)
    {
        LogFilter.TryParseSince(text, s_now, out _, out var error).ShouldBeFalse();
        error.ShouldNotBeNull().ShouldContain("ISO 8601");
    }

    [Fact]
    public void TryParseSince_DurationLongerThanHistory_MeansEverything()
    {
        LogFilter.TryParseSince("1000000d", s_now, out var since, out _).ShouldBeTrue();
        since.ShouldBe(DateTimeOffset.MinValue);
    }

    [Fact]
    public void Matches_EachCriterion_FiltersOnIt()
    {
        var filter = new LogFilter(NodeId: 2, Event: "memberup", Since: T0.AddMilliseconds(10));
        filter.Matches(Record(10, 2, "MemberUp", 3001)).ShouldBeTrue();
        filter.Matches(Record(9, 2, "MemberUp", 3001)).ShouldBeFalse();
        filter.Matches(Record(10, 3, "MemberUp", 3001)).ShouldBeFalse();
        filter.Matches(Record(10, 2, "MemberDown", 3002)).ShouldBeFalse();
        new LogFilter(Event: "3002").Matches(Record(0, 1, "MemberDown", 3002)).ShouldBeTrue();
        new LogFilter(Event: "3002").Matches(Record(0, 1, "MemberUp", 3001)).ShouldBeFalse();
        new LogFilter().Matches(Record(0, 1, null, null)).ShouldBeTrue();
    }
}
