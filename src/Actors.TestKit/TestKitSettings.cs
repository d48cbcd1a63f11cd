using ActorNet.Hocon;

namespace ActorNet.Actors.TestKit;

/// <summary>
/// TestKit timing settings (<c>actornet.actor.test</c>). Every timeout the TestKit uses is multiplied by
/// <see cref="TimeFactor"/>, so a slow CI machine gets one knob instead of flaky tests.
/// </summary>
/// <param name="TimeFactor">Dilation factor applied to all TestKit timeouts (<c>timefactor</c>), at least 1.</param>
/// <param name="SingleExpectDefault">Default wait of one ExpectMsg before dilation (<c>single-expect-default</c>).</param>
/// <param name="ExpectNoMessageDefault">Default quiet period of ExpectNoMsg before dilation (<c>expect-no-message-default</c>).</param>
/// <param name="DefaultTimeout">Default of AwaitAssert, AwaitCondition, EventFilter and shutdown before dilation (<c>default-timeout</c>).</param>
public sealed record TestKitSettings(double TimeFactor, TimeSpan SingleExpectDefault, TimeSpan ExpectNoMessageDefault, TimeSpan DefaultTimeout)
{
    /// <summary>The defaults of <c>reference.conf</c>: factor 1, 3 s, 100 ms, 5 s.</summary>
    public static TestKitSettings Default { get; } = new(1.0, TimeSpan.FromSeconds(3), TimeSpan.FromMilliseconds(100), TimeSpan.FromSeconds(5));

    /// <summary>Reads <c>actornet.actor.test</c> from a resolved config that includes the reference defaults.</summary>
    /// <exception cref="HoconException">A key is missing or has the wrong type, or timefactor is below 1.</exception>
    public static TestKitSettings FromConfig(Config config)
    {
        const string Root = "actornet.actor.test";
        var factor = config.GetDouble($"{Root}.timefactor");
        if (factor < 1.0 || double.IsNaN(factor))
        {
            throw new HoconException($"key '{Root}.timefactor' must be a number >= 1 but was {factor}", null, 0, 0, $"{Root}.timefactor");
        }

        return new TestKitSettings(
            factor,
            config.GetTimeSpan($"{Root}.single-expect-default"),
            config.GetTimeSpan($"{Root}.expect-no-message-default"),
            config.GetTimeSpan($"{Root}.default-timeout"));
    }

    /// <summary>Scales <paramref name="duration"/> by <see cref="TimeFactor"/>.</summary>
    public TimeSpan Dilated(TimeSpan duration) =>
        duration == Timeout.InfiniteTimeSpan ? duration : TimeSpan.FromTicks((long)(duration.Ticks * Math.Max(1.0, TimeFactor)));
}
