using System.Globalization;
using System.Text;
using ActorNet.Hocon.Values;

namespace ActorNet.Hocon;

/// <summary>Renders value trees as JSON. Pure functions, thread-safe.</summary>
internal static class JsonWriter
{
    public static void Write(StringBuilder sb, HoconValue value, bool indented, int level)
    {
        ConfigurationFactory.EnsureStack();
        switch (value)
        {
            case HoconObject o:
                if (o.Count == 0)
                {
                    sb.Append("{}");
                    return;
                }

                sb.Append('{');
                var first = true;
                foreach (var kv in o.Fields)
                {
                    if (!first)
                    {
                        sb.Append(',');
                    }

                    first = false;
                    NewLine(sb, indented, level + 1);
                    WriteString(sb, kv.Key);
                    sb.Append(indented ? ": " : ":");
                    Write(sb, kv.Value, indented, level + 1);
                }

                NewLine(sb, indented, level);
                sb.Append('}');
                return;
            case HoconArray a:
                if (a.Items.Count == 0)
                {
                    sb.Append("[]");
                    return;
                }

                sb.Append('[');
                for (var i = 0; i < a.Items.Count; i++)
                {
                    if (i > 0)
                    {
                        sb.Append(',');
                    }

                    NewLine(sb, indented, level + 1);
                    Write(sb, a.Items[i], indented, level + 1);
                }

                NewLine(sb, indented, level);
                sb.Append(']');
                return;
            case HoconString s:
                WriteString(sb, s.Value);
                return;
            case HoconNumber n:
                sb.Append(IsJsonNumber(n.Text) ? n.Text : n.Value.ToString("R", CultureInfo.InvariantCulture));
                return;
            case HoconBoolean b:
                sb.Append(b.Value ? "true" : "false");
                return;
            case HoconNull:
                sb.Append("null");
                return;
            case HoconSubstitution sub:
                WriteString(sb, sub.Render());
                return;
            default:
                WriteString(sb, "(unresolved)");
                return;
        }
    }

    private static void NewLine(StringBuilder sb, bool indented, int level)
    {
        if (indented)
        {
            sb.Append('\n').Append(' ', level * 2);
        }
    }

    public static void WriteString(StringBuilder sb, string s)
    {
        sb.Append('"');
        foreach (var c in s)
        {
            switch (c)
            {
                case '"': sb.Append("\\\""); break;
                case '\\': sb.Append("\\\\"); break;
                case '\n': sb.Append("\\n"); break;
                case '\r': sb.Append("\\r"); break;
                case '\t': sb.Append("\\t"); break;
                case '\b': sb.Append("\\b"); break;
                case '\f': sb.Append("\\f"); break;
                default:
                    if (c < 0x20)
                    {
                        sb.Append("\\u").Append(((int)c).ToString("x4", CultureInfo.InvariantCulture));
                    }
                    else
                    {
                        sb.Append(c);
                    }

                    break;
            }
        }

        sb.Append('"');
    }

    private static bool IsJsonNumber(string t)
    {
        var i = 0;
        if (i < t.Length && t[i] == '-')
        {
            i++;
        }

        if (i >= t.Length || !char.IsAsciiDigit(t[i]))
        {
            return false;
        }

        if (t[i] == '0' && i + 1 < t.Length && char.IsAsciiDigit(t[i + 1]))
        {
            return false;
        }

        while (i < t.Length && char.IsAsciiDigit(t[i]))
        {
            i++;
        }

        if (i < t.Length && t[i] == '.')
        {
            i++;
            if (i >= t.Length || !char.IsAsciiDigit(t[i]))
            {
                return false;
            }

            while (i < t.Length && char.IsAsciiDigit(t[i]))
            {
                i++;
            }
        }

        if (i < t.Length && (t[i] == 'e' || t[i] == 'E'))
        {
            i++;
            if (i < t.Length && (t[i] == '+' || t[i] == '-'))
            {
                i++;
            }

            if (i >= t.Length || !char.IsAsciiDigit(t[i]))
            {
                return false;
            }

            while (i < t.Length && char.IsAsciiDigit(t[i]))
            {
                i++;
            }
        }

        return i == t.Length;
    }
}
