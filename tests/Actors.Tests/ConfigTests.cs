using ActorNet.Actors.Dispatch;
using ActorNet.Hocon;

namespace ActorNet.Actors.Tests;

public class ConfigTests
{
    [Fact]
    public void FromConfig_Reference_EqualsBuiltInDefaults()
    {
        var fromReference = ActorSystemSettings.FromConfig(ActorSystemSettings.WithReference(ConfigurationFactory.Empty));
        var defaults = ActorSystemSettings.Default;
        fromReference.Dispatchers[DispatcherSettings.DefaultId].ShouldBe(defaults.Dispatchers[DispatcherSettings.DefaultId]);
        fromReference.Dispatchers[DispatcherSettings.PinnedId].ShouldBe(defaults.Dispatchers[DispatcherSettings.PinnedId]);
        fromReference.Mailboxes[MailboxSettings.DefaultId].ShouldBe(defaults.Mailboxes[MailboxSettings.DefaultId]);
        fromReference.Mailboxes[MailboxSettings.BoundedId].ShouldBe(defaults.Mailboxes[MailboxSettings.BoundedId]);
        fromReference.SchedulerTick.ShouldBe(TimeSpan.FromMilliseconds(10));
        fromReference.SchedulerWheelSize.ShouldBe(512);
        fromReference.AskTimeout.ShouldBe(TimeSpan.FromSeconds(5));
        fromReference.LogDeadLetters.ShouldBe(10);
        fromReference.LogDeadLettersDuringShutdown.ShouldBeFalse();
        fromReference.DebugLifecycle.ShouldBeFalse();
        fromReference.DebugUnhandled.ShouldBeFalse();
        fromReference.CoordinatedShutdown.RunByActorSystemTerminate.ShouldBeTrue();
        fromReference.CoordinatedShutdown.Phases.ShouldBe(defaults.CoordinatedShutdown.Phases, ignoreOrder: false, comparer: new PhaseComparer());
    }

    [Fact]
    public void TestKitSettings_Reference_EqualsDefaults() =>
        TestKit.TestKitSettings.FromConfig(ActorSystemSettings.WithReference(ConfigurationFactory.Empty)).ShouldBe(TestKit.TestKitSettings.Default);

    [Fact]
    public void TimeFactor_Override_DilatesTimeouts()
    {
        using var kit = new TestKit.TestKit("actornet.actor.test.timefactor = 3");
        kit.Dilated(TimeSpan.FromSeconds(1)).ShouldBe(TimeSpan.FromSeconds(3));
        kit.Probe.RemainingOrDefault.ShouldBe(TimeSpan.FromSeconds(9));
    }

    [Fact]
    public void FromConfig_InvalidThroughput_FailsNamingKey()
    {
        var config = ActorSystemSettings.WithReference(ConfigurationFactory.ParseString("actornet.actor.default-dispatcher.throughput = 0", "node.conf"));
        var e = Should.Throw<HoconException>(() => ActorSystemSettings.FromConfig(config));
        e.Message.ShouldContain("actornet.actor.default-dispatcher.throughput");
        e.Message.ShouldContain("node.conf");
    }

    [Fact]
    public void FromConfig_DispatcherTypeUnknown_FailsNamingKey()
    {
        var config = ActorSystemSettings.WithReference(ConfigurationFactory.ParseString("actornet.actor.pinned-dispatcher.type = fork-join"));
        Should.Throw<HoconException>(() => ActorSystemSettings.FromConfig(config)).Message.ShouldContain("pinned-dispatcher.type");
    }

    [Fact]
    public void FromConfig_Overrides_AreApplied()
    {
        var config = ActorSystemSettings.WithReference(ConfigurationFactory.ParseString(
            "actornet.actor { default-dispatcher { throughput = 7, throughput-deadline-time = 5ms }, log-dead-letters = off, ask-timeout = 2s }"));
        var settings = ActorSystemSettings.FromConfig(config);
        settings.Dispatchers[DispatcherSettings.DefaultId].Throughput.ShouldBe(7);
        settings.Dispatchers[DispatcherSettings.DefaultId].ThroughputDeadline.ShouldBe(TimeSpan.FromMilliseconds(5));
        settings.LogDeadLetters.ShouldBe(0);
        settings.AskTimeout.ShouldBe(TimeSpan.FromSeconds(2));
    }

    [Fact]
    public void FromConfig_PhaseCycle_Fails()
    {
        var config = ConfigurationFactory.ParseString(
            "actornet.actor.coordinated-shutdown.phases { before-service-unbind { depends-on = [actor-system-terminate] } }");
        Should.Throw<ArgumentException>(() => ActorSystem.Create("cyc", config)).Message.ShouldContain("cycle");
    }

    private sealed class PhaseComparer : IEqualityComparer<PhaseSettings>
    {
        public bool Equals(PhaseSettings? x, PhaseSettings? y) =>
            x is not null && y is not null && x.Name == y.Name && x.Timeout == y.Timeout && x.Recover == y.Recover && x.DependsOn.SequenceEqual(y.DependsOn);

        public int GetHashCode(PhaseSettings obj) => obj.Name.GetHashCode(StringComparison.Ordinal);
    }
}
