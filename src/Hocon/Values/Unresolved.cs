namespace ActorNet.Hocon.Values;

/// <summary>A substitution <c>${path}</c> or <c>${?path}</c> awaiting resolution.</summary>
internal sealed class HoconSubstitution : HoconValue
{
    public HoconSubstitution(string[] path, bool optional, int prefixLength, ConfigOrigin origin)
        : base(origin)
    {
        Path = path;
        Optional = optional;
        PrefixLength = prefixLength;
    }

    /// <summary>Full path, including the prefix of the include point when the file was included.</summary>
    public string[] Path { get; }

    public bool Optional { get; }

    /// <summary>How many leading elements of <see cref="Path"/> come from the include point.</summary>
    public int PrefixLength { get; }

    public override HoconValueType Type => HoconValueType.Unresolved;

    internal override bool HasUnresolved => true;

    public string Render() => "${" + (Optional ? "?" : string.Empty) + ConfigPath.Render(Path[PrefixLength..]) + "}";
}

/// <summary>A concatenation whose pieces include a substitution; joined after resolution.</summary>
internal sealed class HoconConcatenation : HoconValue
{
    public HoconConcatenation(HoconValue[] pieces, ConfigOrigin origin)
        : base(origin)
    {
        Pieces = pieces;
    }

    /// <summary>Pieces in order; whitespace between simple values is kept as whitespace strings.</summary>
    public HoconValue[] Pieces { get; }

    public override HoconValueType Type => HoconValueType.Unresolved;

    internal override bool HasUnresolved => true;
}

/// <summary>
/// Values assigned to one path that cannot be merged before resolution (one of them is unresolved).
/// Layers[0] wins; lower layers are what a self-reference in a higher layer sees.
/// </summary>
internal sealed class HoconDelayedMerge : HoconValue
{
    public HoconDelayedMerge(HoconValue[] layers, ConfigOrigin origin)
        : base(origin)
    {
        Layers = layers;
    }

    public HoconValue[] Layers { get; }

    public override HoconValueType Type => HoconValueType.Unresolved;

    internal override bool HasUnresolved => true;
}
