namespace ActorNet.DataPlane.Segments;

/// <summary>
/// A mapped segment (or a region in it) failed validation: wrong magic or ABI version, a size or offset that
/// does not fit the mapping, an impossible ring geometry. The message names the file, the field and what was
/// expected. Thrown when a segment or ring is opened, never on the per-frame path.
/// </summary>
public sealed class SegmentFormatException : Exception
{
    /// <summary>Creates the exception with a message naming the field and the expectation.</summary>
    public SegmentFormatException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception with a message and an inner cause.</summary>
    public SegmentFormatException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    /// <summary>Creates the exception with a generic message.</summary>
    public SegmentFormatException()
        : base("invalid shared-memory segment")
    {
    }
}
