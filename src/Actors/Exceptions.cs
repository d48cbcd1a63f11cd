namespace ActorNet.Actors;

/// <summary>Base of the kernel's own exceptions (Akka's <c>AkkaException</c>).</summary>
public class ActorException : Exception
{
    /// <summary>Creates the exception with a message and an optional cause.</summary>
    public ActorException(string message, Exception? inner = null) : base(message, inner)
    {
    }
}

/// <summary>Thrown by <see cref="ActorPath.Child"/> and <c>ActorOf</c> for an illegal or already used name.</summary>
public sealed class InvalidActorNameException : ActorException
{
    /// <summary>Creates the exception naming the offending name.</summary>
    public InvalidActorNameException(string message) : base(message)
    {
    }
}

/// <summary>
/// Wraps a failure in the constructor, <c>PreStart</c> or <c>PostRestart</c>. Akka's default supervisor stops
/// an actor that fails with it (restarting would most likely fail the same way).
/// </summary>
public sealed class ActorInitializationException : ActorException
{
    /// <summary>Creates the exception for the actor at <paramref name="actor"/>.</summary>
    public ActorInitializationException(IActorRef? actor, string message, Exception? cause) : base(message, cause)
    {
        Actor = actor;
    }

    /// <summary>The actor that failed to initialise.</summary>
    public IActorRef? Actor { get; }
}

/// <summary>Thrown inside an actor that received <see cref="Kill"/>; the default supervisor stops it.</summary>
public sealed class ActorKilledException : ActorException
{
    /// <summary>Creates the exception.</summary>
    public ActorKilledException(string message) : base(message)
    {
    }
}

/// <summary>
/// Thrown when an actor receives a <see cref="Terminated"/> it does not handle (Akka's death pact: a watcher
/// that ignores the death of a watched actor dies with it). The default supervisor stops it.
/// </summary>
public sealed class DeathPactException : ActorException
{
    /// <summary>Creates the exception for the dead actor.</summary>
    public DeathPactException(IActorRef deadActor) : base($"Monitored actor [{deadActor}] terminated")
    {
        DeadActor = deadActor;
    }

    /// <summary>The watched actor whose termination was not handled.</summary>
    public IActorRef DeadActor { get; }
}

/// <summary>The task of an <c>Ask</c> fails with this when no reply arrived in time or the target was already dead.</summary>
public sealed class AskTimeoutException : ActorException
{
    /// <summary>Creates the exception.</summary>
    public AskTimeoutException(string message) : base(message)
    {
    }
}

/// <summary>Thrown when an actor is created outside <c>ActorOf</c> or used from the wrong place.</summary>
public sealed class ActorNotCreatedByKernelException : ActorException
{
    /// <summary>Creates the exception.</summary>
    public ActorNotCreatedByKernelException(string message) : base(message)
    {
    }
}
