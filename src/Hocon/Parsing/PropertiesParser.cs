using System.Text;

namespace ActorNet.Hocon.Parsing;

/// <summary>
/// Java <c>.properties</c> reader: logical lines with backslash continuation, <c>#</c>/<c>!</c> comments, key/value
/// separated by <c>=</c>, <c>:</c> or whitespace, Java escapes. Every value is a string; a key is split on '.' into a
/// path; when a path is both a value and a parent of other keys, the object wins (as in the reference implementation).
/// </summary>
internal static class PropertiesParser
{
    public static HoconObject Parse(string text, string source, string? file)
    {
        var entries = new List<(string[] Path, string Value, int Line)>();
        var lines = text.Replace("\r\n", "\n", StringComparison.Ordinal).Replace('\r', '\n').Split('\n');
        var i = 0;
        while (i < lines.Length)
        {
            var startLine = i + 1;
            var line = lines[i].TrimStart(' ', '\t', '\f');
            i++;
            if (line.Length == 0 || line[0] == '#' || line[0] == '!')
            {
                continue;
            }

            var logical = new StringBuilder();
            while (true)
            {
                var trailing = 0;
                for (var k = line.Length - 1; k >= 0 && line[k] == '\\'; k--)
                {
                    trailing++;
                }

                if (trailing % 2 == 1)
                {
                    logical.Append(line, 0, line.Length - 1);
                    if (i >= lines.Length)
                    {
                        break;
                    }

                    line = lines[i].TrimStart(' ', '\t', '\f');
                    i++;
                }
                else
                {
                    logical.Append(line);
                    break;
                }
            }

            var l = logical.ToString();
            var p = 0;
            var key = new StringBuilder();
            while (p < l.Length)
            {
                var c = l[p];
                if (c == '\\' && p + 1 < l.Length)
                {
                    p = Unescape(l, p, key, source, startLine);
                    continue;
                }

                if (c is '=' or ':' or ' ' or '\t' or '\f')
                {
                    break;
                }

                key.Append(c);
                p++;
            }

            while (p < l.Length && l[p] is ' ' or '\t' or '\f')
            {
                p++;
            }

            if (p < l.Length && l[p] is '=' or ':')
            {
                p++;
                while (p < l.Length && l[p] is ' ' or '\t' or '\f')
                {
                    p++;
                }
            }

            var value = new StringBuilder();
            while (p < l.Length)
            {
                if (l[p] == '\\' && p + 1 < l.Length)
                {
                    p = Unescape(l, p, value, source, startLine);
                    continue;
                }

                if (l[p] != '\\')
                {
                    value.Append(l[p]);
                }

                p++;
            }

            entries.Add((key.ToString().Split('.'), value.ToString(), startLine));
        }

        var parents = new HashSet<string>(StringComparer.Ordinal);
        foreach (var e in entries)
        {
            for (var k = 1; k < e.Path.Length; k++)
            {
                parents.Add(string.Join('\u0000', e.Path[..k]));
            }
        }

        var root = new Node();
        foreach (var e in entries)
        {
            if (parents.Contains(string.Join('\u0000', e.Path)))
            {
                continue; // object wins over a value at the same path
            }

            var n = root;
            for (var k = 0; k < e.Path.Length - 1; k++)
            {
                if (!n.Children.TryGetValue(e.Path[k], out var c))
                {
                    c = new Node { Line = e.Line };
                    n.Children[e.Path[k]] = c;
                }

                n = c;
            }

            n.Children[e.Path[^1]] = new Node { Value = e.Value, Line = e.Line };
        }

        return (HoconObject)Build(root, new ConfigOrigin(source, file, 1), source, file);
    }

    private static HoconValue Build(Node n, ConfigOrigin origin, string source, string? file)
    {
        if (n.Value is not null)
        {
            return new HoconString(n.Value, origin);
        }

        var fields = new OrderedDictionary<string, HoconValue>();
        foreach (var kv in n.Children)
        {
            fields[kv.Key] = Build(kv.Value, new ConfigOrigin(source, file, kv.Value.Line), source, file);
        }

        return new HoconObject(fields, origin);
    }

    private static int Unescape(string l, int p, StringBuilder sb, string source, int line)
    {
        var e = l[p + 1];
        switch (e)
        {
            case 't': sb.Append('\t'); return p + 2;
            case 'n': sb.Append('\n'); return p + 2;
            case 'r': sb.Append('\r'); return p + 2;
            case 'f': sb.Append('\f'); return p + 2;
            case 'u':
                if (p + 6 > l.Length || !l.AsSpan(p + 2, 4).ToString().All(char.IsAsciiHexDigit))
                {
                    throw HoconException.Parse(source, line, p + 1, "expected 4 hex digits after \\u in a properties file");
                }

                sb.Append((char)Convert.ToInt32(l.Substring(p + 2, 4), 16));
                return p + 6;
            default:
                sb.Append(e);
                return p + 2;
        }
    }

    private sealed class Node
    {
        public string? Value { get; set; }

        public int Line { get; set; }

        public Dictionary<string, Node> Children { get; } = new(StringComparer.Ordinal);
    }
}
