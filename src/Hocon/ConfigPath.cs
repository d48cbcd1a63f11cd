using System.Text;

namespace ActorNet.Hocon;

/// <summary>
/// Path expressions as used by the getters: keys separated by <c>.</c>, a key containing dots or other
/// special characters written in double quotes (<c>akka.actor."System.Byte[]"</c>). Pure functions, thread-safe.
/// </summary>
public static class ConfigPath
{
    /// <summary>Splits a path expression into keys.</summary>
    /// <param name="path">The expression, e.g. <c>a.b."c.d"</c>.</param>
    /// <returns>The keys, unquoted.</returns>
    /// <exception cref="HoconException">When the expression is empty, has an empty key or an unterminated quote.</exception>
    public static string[] Parse(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        var keys = new List<string>();
        var cur = new StringBuilder();
        var started = false;
        var i = 0;
        while (i < path.Length)
        {
            var c = path[i];
            if (c == '"')
            {
                i++;
                var closed = false;
                while (i < path.Length)
                {
                    var q = path[i];
                    if (q == '"')
                    {
                        closed = true;
                        i++;
                        break;
                    }

                    if (q == '\\' && i + 5 < path.Length && path[i + 1] == 'u'
                        && int.TryParse(path.AsSpan(i + 2, 4), System.Globalization.NumberStyles.AllowHexSpecifier, System.Globalization.CultureInfo.InvariantCulture, out var code))
                    {
                        cur.Append((char)code);
                        i += 6;
                        continue;
                    }

                    if (q == '\\' && i + 1 < path.Length)
                    {
                        var e = path[i + 1];
                        cur.Append(e switch { 'n' => '\n', 't' => '\t', 'r' => '\r', 'b' => '\b', 'f' => '\f', _ => e });
                        i += 2;
                        continue;
                    }

                    cur.Append(q);
                    i++;
                }

                if (!closed)
                {
                    throw new HoconException($"invalid path '{path}': expected closing '\"' but found end of path", null, 0, 0, path);
                }

                started = true;
                continue;
            }

            if (c == '.')
            {
                if (!started)
                {
                    throw new HoconException($"invalid path '{path}': expected a key but found '.' (empty key; quote it as \"\" if intended)", null, 0, 0, path);
                }

                keys.Add(cur.ToString());
                cur.Clear();
                started = false;
                i++;
                continue;
            }

            cur.Append(c);
            started = true;
            i++;
        }

        if (!started)
        {
            throw new HoconException($"invalid path '{path}': expected a key but found end of path", null, 0, 0, path);
        }

        keys.Add(cur.ToString());
        return keys.ToArray();
    }

    /// <summary>Renders keys as a path expression, quoting keys that need it.</summary>
    /// <param name="keys">The keys.</param>
    /// <returns>The path expression (parses back to the same keys).</returns>
    public static string Render(IEnumerable<string> keys)
    {
        ArgumentNullException.ThrowIfNull(keys);
        var sb = new StringBuilder();
        foreach (var k in keys)
        {
            if (sb.Length > 0)
            {
                sb.Append('.');
            }

            sb.Append(RenderKey(k));
        }

        return sb.ToString();
    }

    /// <summary>Renders one key, quoted when it is empty or holds characters other than letters, digits, '-' and '_'.</summary>
    /// <param name="key">The key.</param>
    /// <returns>The key, quoted if needed.</returns>
    public static string RenderKey(string key)
    {
        ArgumentNullException.ThrowIfNull(key);
        var plain = key.Length > 0;
        foreach (var c in key)
        {
            if (!(char.IsAsciiLetterOrDigit(c) || c == '-' || c == '_'))
            {
                plain = false;
                break;
            }
        }

        if (plain)
        {
            return key;
        }

        var sb = new StringBuilder();
        JsonWriter.WriteString(sb, key);
        return sb.ToString();
    }
}
