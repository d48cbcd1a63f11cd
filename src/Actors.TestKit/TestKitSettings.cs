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

    /// <summary>Scales <paramref name="duration"/> by <see cref="TimeFactor"/>.</summary>
    public TimeSpan Dilated(TimeSpan duration) =>
        duration == Timeout.InfiniteTimeSpan ? duration : TimeSpan.FromTicks((long)(duration.Ticks * Math.Max(1.0, TimeFactor)));
}
