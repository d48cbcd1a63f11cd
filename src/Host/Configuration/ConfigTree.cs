using System.Text;
using ActorNet.Hocon;

namespace ActorNet.Host.Configuration;

/// <summary>
/// Walks a resolved configuration's value tree. A leaf is any value that is not an object (arrays are leaves);
/// an empty object is reported separately so callers can treat it as an open section. Pure; thread-safe.
/// </summary>
public static class ConfigTree
{
    /// <summary>Every leaf of <paramref name="root"/> with its full path, in document order.</summary>
    public static IEnumerable<(string Path, HoconValue Value)> Leaves(HoconValue root, string prefix = "")
    {
        if (root is HoconObject obj)
        {
            foreach (var (key, value) in obj.Fields)
            {
                var path = prefix.Length == 0 ? RenderKey(key) : prefix + "." + RenderKey(key);
                foreach (var leaf in Leaves(value, path))
                {
                    yield return leaf;
                }
            }
        }
        else
        {
            yield return (prefix, root);
        }
    }

    /// <summary>Paths of every object (section) in <paramref name="root"/>, including empty ones.</summary>
    public static IEnumerable<(string Path, HoconObject Value)> Objects(HoconValue root, string prefix = "")
    {
        if (root is not HoconObject obj)
        {
            yield break;
        }

        if (prefix.Length > 0)
        {
            yield return (prefix, obj);
        }

        foreach (var (key, value) in obj.Fields)
        {
            var path = prefix.Length == 0 ? RenderKey(key) : prefix + "." + RenderKey(key);
            foreach (var o in Objects(value, path))
            {
                yield return o;
            }
        }
    }

    /// <summary>Renders one key for a path expression, quoting it when it holds characters a path cannot.</summary>
    public static string RenderKey(string key)
    {
        var plain = key.Length > 0 && key.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_');
        if (plain)
        {
            return key;
        }

        var sb = new StringBuilder("\"");
        foreach (var c in key)
        {
            _ = c switch
            {
                '"' => sb.Append("\\\""),
                '\\' => sb.Append("\\\\"),
                _ => sb.Append(c),
            };
        }

        return sb.Append('"').ToString();
    }
}
