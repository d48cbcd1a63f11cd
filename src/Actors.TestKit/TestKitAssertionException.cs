namespace ActorNet.Actors.TestKit;

/// <summary>
/// Thrown by every TestKit expectation that is not met (the TestKit never depends on a test framework: each
/// framework reports an unexpected exception as a failed test).
/// </summary>
public sealed class TestKitAssertionException : Exception
{
    /// <summary>Creates the exception with the failure description.</summary>
    public TestKitAssertionException(string message, Exception? inner = null) : base(message, inner)
    {
    }
}
