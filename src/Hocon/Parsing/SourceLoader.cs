using System.Text;

namespace ActorNet.Hocon.Parsing;

/// <summary>State shared by one top-level parse and all its includes: the chain of files being parsed.</summary>
internal sealed class ParseContext
{
    /// <summary>Includes nested deeper than this are an error (the reference implementation's limit).</summary>
    public const int MaxIncludeDepth = 50;

    public List<string> Files { get; } = [];
}

/// <summary>Reads files and text into unresolved trees, choosing the syntax and applying basename rules.</summary>
internal static class SourceLoader
{
    private static readonly UTF8Encoding s_utf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: false);

    public static ConfigSyntax SyntaxFromExtension(string path) =>
        Path.GetExtension(path).ToLowerInvariant() switch
        {
            ".json" => ConfigSyntax.Json,
            ".properties" => ConfigSyntax.Properties,
            _ => ConfigSyntax.Conf,
        };

    public static HoconObject ParseText(string text, string source, string? file, ConfigSyntax syntax, ParseContext ctx, int baseDepth)
    {
        if (text.Length > 0 && text[0] == '\uFEFF')
        {
            text = text[1..];
        }

        return syntax == ConfigSyntax.Properties
            ? PropertiesParser.Parse(text, source, file)
            : new Parser(text, source, file, syntax == ConfigSyntax.Json, ctx, baseDepth).ParseDocument();
    }

    /// <summary>Parses one file; returns null when it does not exist.</summary>
    public static HoconObject? LoadFile(string fullPath, ConfigSyntax? syntax, ParseContext ctx, Token? at, string? fromSource, int baseDepth)
    {
        if (!File.Exists(fullPath))
        {
            return null;
        }

        if (ctx.Files.Count > ParseContext.MaxIncludeDepth || ctx.Files.Contains(fullPath, StringComparer.Ordinal))
        {
            var chain = string.Join(" -> ", ctx.Files.Append(fullPath).Select(Path.GetFileName));
            var what = ctx.Files.Count > ParseContext.MaxIncludeDepth
                ? $"expected includes nested at most {ParseContext.MaxIncludeDepth} deep but found more (include cycle?): {chain}"
                : $"expected no include cycle but found one: {chain}";
            throw at is null
                ? new HoconException(what, fullPath, 0, 0, null)
                : HoconException.Parse(fromSource ?? fullPath, at.Line, at.Column, what);
        }

        string text;
        try
        {
            text = s_utf8.GetString(File.ReadAllBytes(fullPath));
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new HoconException($"{fullPath}: could not read the file: {e.Message}", e);
        }

        ctx.Files.Add(fullPath);
        try
        {
            return ParseText(text, fullPath, fullPath, syntax ?? SyntaxFromExtension(fullPath), ctx, baseDepth);
        }
        finally
        {
            ctx.Files.RemoveAt(ctx.Files.Count - 1);
        }
    }

    /// <summary>
    /// Loads <paramref name="fullPath"/>; without a known extension loads <c>.properties</c>, <c>.json</c> and <c>.conf</c>
    /// (all that exist) and merges them, <c>.conf</c> winning. Returns null when nothing exists.
    /// </summary>
    public static HoconObject? LoadAnySyntax(string fullPath, ParseContext ctx, Token? at, string? fromSource, int baseDepth)
    {
        var ext = Path.GetExtension(fullPath).ToLowerInvariant();
        if (ext is ".conf" or ".json" or ".properties")
        {
            return LoadFile(fullPath, null, ctx, at, fromSource, baseDepth);
        }

        HoconObject? result = null;
        foreach (var e in new[] { ".properties", ".json", ".conf" })
        {
            var o = LoadFile(fullPath + e, null, ctx, at, fromSource, baseDepth);
            if (o is not null)
            {
                result = result is null ? o : Values.ValueOps.MergeObjects(o, result);
            }
        }

        return result;
    }
}
