using FsCheck;
using FsCheck.Fluent;

namespace ActorNet.Actors.Tests;

public class ChildRestartStatsTests
{
    [Fact]
    public void RequestRestartPermission_NoWindow_AllowsExactlyMaxRetries() =>
        Prop.ForAll(
            Gen.Choose(0, 50).ToArbitrary(),
            Gen.Choose(0, 80).ToArbitrary(),
            (max, attempts) =>
            {
                var stats = new ChildRestartStats(ActorRefsForTests.Dummy);
                var allowed = Enumerable.Range(0, attempts).Count(_ => stats.RequestRestartPermission(max, null));
                return allowed == Math.Min(max, attempts);
            }).QuickCheckThrowOnFailure();

    [Fact]
    public void RequestRestartPermission_Unlimited_AlwaysAllows()
    {
        var stats = new ChildRestartStats(ActorRefsForTests.Dummy);
        Enumerable.Range(0, 1000).All(_ => stats.RequestRestartPermission(-1, null)).ShouldBeTrue();
    }

    [Fact]
    public void RequestRestartPermission_WithinWindow_DeniesAfterMax()
    {
        var stats = new ChildRestartStats(ActorRefsForTests.Dummy);
        var window = TimeSpan.FromMinutes(1);
        stats.RequestRestartPermission(2, window).ShouldBeTrue();
        stats.RequestRestartPermission(2, window).ShouldBeTrue();
        stats.RequestRestartPermission(2, window).ShouldBeFalse();
    }

    [Fact]
    public void RequestRestartPermission_WindowPassed_CountingStartsAgain()
    {
        var stats = new ChildRestartStats(ActorRefsForTests.Dummy);
        var window = TimeSpan.FromMilliseconds(50);
        stats.RequestRestartPermission(1, window).ShouldBeTrue();
        stats.RequestRestartPermission(1, window).ShouldBeFalse();
        Thread.Sleep(80);
        stats.RequestRestartPermission(1, window).ShouldBeTrue();
    }

    private static class ActorRefsForTests
    {
        public static ActorRefBase Dummy { get; } = (ActorRefBase)ActorRefs.Nobody;
    }
}
