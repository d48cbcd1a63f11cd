using System.Globalization;
using System.Text;

namespace ActorNet.Hocon.Parsing;

/// <summary>
/// Splits HOCON or JSON text into tokens following the reference implementation's lexical rules
/// (unquoted text stops at <c>$"{}[]:=,+#`^?!@*&amp;\</c>, whitespace and <c>//</c>; numbers are tried first
/// and fall back to unquoted text; <c>true</c>/<c>false</c>/<c>null</c> split off the front of unquoted text).
/// Comments are dropped; newlines and whitespace are kept as tokens. Single use, single thread.
/// </summary>
internal sealed class Tokenizer
{
    private const string NotInUnquoted = "$\"{}[]:=,+#`^?!@*&\\";
    private const string NumberChars = "0123456789eE+-.";

    private readonly string _s;
    private readonly string _source;
    private readonly bool _json;
    private int _i;
    private int _line = 1;
    private int _col = 1;
    private bool _inSubstitution;

    public Tokenizer(string text, string source, bool json)
    {
        _s = text;
        _source = source;
        _json = json;
    }

    public List<Token> Tokenize()
    {
        var list = new List<Token>();
        while (true)
        {
            var t = Next();
            list.Add(t);
            if (t.Type == TokenType.Eof)
            {
                return list;
            }
        }
    }

    public static bool IsWhitespace(char c) =>
        c is ' ' or '\t' or '\r' or '\u000B' or '\f' or '\u00A0' or '\u2007' or '\u202F' or '\uFEFF' or '\u001C' or '\u001D' or '\u001E' or '\u001F'
        || (c != '\n' && char.IsWhiteSpace(c) && c > 0x7F);

    private HoconException Error(int line, int col, string what) => HoconException.Parse(_source, line, col, what);

    private char Peek(int ahead = 0) => _i + ahead < _s.Length ? _s[_i + ahead] : '\0';

    private bool Has(int ahead = 0) => _i + ahead < _s.Length;

    private void Advance()
    {
        if (_s[_i] == '\n')
        {
            _line++;
            _col = 1;
        }
        else
        {
            _col++;
        }

        _i++;
    }

    private Token Next()
    {
        while (true)
        {
            if (!Has())
            {
                return new Token(TokenType.Eof, string.Empty, _line, _col);
            }

            var line = _line;
            var col = _col;
            var c = _s[_i];
            if (c == '\n')
            {
                Advance();
                return new Token(TokenType.Newline, "\n", line, col);
            }

            if (IsWhitespace(c))
            {
                var start = _i;
                while (Has() && _s[_i] != '\n' && IsWhitespace(_s[_i]))
                {
                    Advance();
                }

                return new Token(TokenType.Whitespace, _s[start.._i], line, col);
            }

            if (c == '#' || (c == '/' && Peek(1) == '/'))
            {
                if (_json)
                {
                    throw Error(line, col, "expected a JSON value but found a comment (comments are not allowed in JSON)");
                }

                while (Has() && _s[_i] != '\n')
                {
                    Advance();
                }

                continue;
            }

            switch (c)
            {
                case '"':
                    return Peek(1) == '"' && Peek(2) == '"' ? TripleQuoted(line, col) : Quoted(line, col);
                case '$':
                    if (_inSubstitution)
                    {
                        throw Error(line, col, "expected a path or '}' in substitution but found '$' (substitutions cannot be nested)");
                    }

                    if (Peek(1) != '{')
                    {
                        throw Error(line, col, "expected '{' after '$' but found " + DescribeChar(1) + " (quote a literal '$')");
                    }

                    return Substitution(line, col);
                case '{':
                    Advance();
                    return new Token(TokenType.LBrace, "{", line, col);
                case '}':
                    Advance();
                    return new Token(TokenType.RBrace, "}", line, col);
                case '[':
                    Advance();
                    return new Token(TokenType.LBracket, "[", line, col);
                case ']':
                    Advance();
                    return new Token(TokenType.RBracket, "]", line, col);
                case ',':
                    Advance();
                    return new Token(TokenType.Comma, ",", line, col);
                case ':':
                    Advance();
                    return new Token(TokenType.Colon, ":", line, col);
                case '=':
                    Advance();
                    return new Token(TokenType.Equals, "=", line, col);
                case '+':
                    if (Peek(1) == '=')
                    {
                        Advance();
                        Advance();
                        return new Token(TokenType.PlusEquals, "+=", line, col);
                    }

                    throw Error(line, col, "expected '+=' but found '+' alone (reserved character; quote it to use it in a string)");
            }

            if (c == '-' || char.IsAsciiDigit(c))
            {
                return Number(line, col);
            }

            if (NotInUnquoted.Contains(c, StringComparison.Ordinal))
            {
                throw Error(line, col, $"expected a value or key but found reserved character '{c}' (quote it to use it in a string)");
            }

            return Unquoted(line, col);
        }
    }

    private string DescribeChar(int ahead) => Has(ahead) ? (Peek(ahead) == '\n' ? "newline" : "'" + Peek(ahead) + "'") : "end of file";

    private Token Number(int line, int col)
    {
        var start = _i;
        Advance();
        var decimalOrE = false;
        while (Has() && NumberChars.Contains(_s[_i], StringComparison.Ordinal))
        {
            if (_s[_i] is '.' or 'e' or 'E')
            {
                decimalOrE = true;
            }

            Advance();
        }

        var text = _s[start.._i];
        if (decimalOrE ? IsJavaDouble(text) : IsJavaLong(text))
        {
            return new Token(TokenType.Number, text, line, col);
        }

        foreach (var ch in text)
        {
            if (NotInUnquoted.Contains(ch, StringComparison.Ordinal))
            {
                throw Error(line, col, $"expected a number or unquoted text but found reserved character '{ch}' in '{text}' (quote it)");
            }
        }

        return new Token(TokenType.Unquoted, text, line, col);
    }

    private static bool IsJavaLong(string t) =>
        long.TryParse(t, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out _) && t[0] != '+';

    private static bool IsJavaDouble(string t)
    {
        var i = 0;
        if (t[0] == '-')
        {
            i++;
        }

        var digits = 0;
        while (i < t.Length && char.IsAsciiDigit(t[i]))
        {
            i++;
            digits++;
        }

        if (i < t.Length && t[i] == '.')
        {
            i++;
            while (i < t.Length && char.IsAsciiDigit(t[i]))
            {
                i++;
                digits++;
            }
        }

        if (digits == 0)
        {
            return false;
        }

        if (i < t.Length && (t[i] == 'e' || t[i] == 'E'))
        {
            i++;
            if (i < t.Length && (t[i] == '+' || t[i] == '-'))
            {
                i++;
            }

            var exp = 0;
            while (i < t.Length && char.IsAsciiDigit(t[i]))
            {
                i++;
                exp++;
            }

            if (exp == 0)
            {
                return false;
            }
        }

        return i == t.Length && double.TryParse(t, NumberStyles.Float, CultureInfo.InvariantCulture, out var d) && double.IsFinite(d);
    }

    private Token Unquoted(int line, int col)
    {
        var sb = new StringBuilder();
        while (Has())
        {
            var c = _s[_i];
            if (c == '\n' || IsWhitespace(c) || NotInUnquoted.Contains(c, StringComparison.Ordinal) || (c == '/' && Peek(1) == '/'))
            {
                break;
            }

            sb.Append(c);
            Advance();
            if (sb.Length == 4)
            {
                var s = sb.ToString();
                if (s == "true")
                {
                    return new Token(TokenType.True, s, line, col);
                }

                if (s == "null")
                {
                    return new Token(TokenType.Null, s, line, col);
                }
            }
            else if (sb.Length == 5 && sb.ToString() == "false")
            {
                return new Token(TokenType.False, "false", line, col);
            }
        }

        return new Token(TokenType.Unquoted, sb.ToString(), line, col);
    }

    private Token Quoted(int line, int col)
    {
        Advance();
        var sb = new StringBuilder();
        while (true)
        {
            if (!Has())
            {
                throw Error(_line, _col, "expected closing '\"' but found end of file (string started at " + line + ":" + col + ")");
            }

            var c = _s[_i];
            if (c == '"')
            {
                Advance();
                return new Token(TokenType.Quoted, sb.ToString(), line, col);
            }

            if (c == '\n')
            {
                throw Error(_line, _col, "expected closing '\"' but found newline (use \"\"\" for multi-line strings or \\n)");
            }

            if (c < 0x20)
            {
                throw Error(_line, _col, $"expected a character in a quoted string but found control character U+{(int)c:X4} (use a backslash escape)");
            }

            if (c == '\\')
            {
                var el = _line;
                var ec = _col;
                Advance();
                if (!Has())
                {
                    throw Error(_line, _col, "expected an escape character after '\\' but found end of file");
                }

                var e = _s[_i];
                Advance();
                switch (e)
                {
                    case '"': sb.Append('"'); break;
                    case '\\': sb.Append('\\'); break;
                    case '/': sb.Append('/'); break;
                    case 'b': sb.Append('\b'); break;
                    case 'f': sb.Append('\f'); break;
                    case 'n': sb.Append('\n'); break;
                    case 'r': sb.Append('\r'); break;
                    case 't': sb.Append('\t'); break;
                    case 'u':
                        var code = 0;
                        for (var k = 0; k < 4; k++)
                        {
                            if (!Has() || !char.IsAsciiHexDigit(_s[_i]))
                            {
                                throw Error(_line, _col, "expected 4 hex digits after \\u but found " + DescribeChar(0));
                            }

                            code = (code * 16) + Convert.ToInt32(_s[_i].ToString(), 16);
                            Advance();
                        }

                        sb.Append((char)code);
                        break;
                    default:
                        throw Error(el, ec, $"expected a valid escape (one of \\\" \\\\ \\/ \\b \\f \\n \\r \\t \\uXXXX) but found '\\{(e == '\n' ? "newline" : e.ToString())}'");
                }

                continue;
            }

            sb.Append(c);
            Advance();
        }
    }

    private Token TripleQuoted(int line, int col)
    {
        if (_json)
        {
            throw Error(line, col, "expected a JSON string but found '\"\"\"' (triple quotes are not allowed in JSON)");
        }

        Advance();
        Advance();
        Advance();
        var sb = new StringBuilder();
        while (true)
        {
            if (!Has())
            {
                throw Error(_line, _col, "expected closing '\"\"\"' but found end of file (string started at " + line + ":" + col + ")");
            }

            var c = _s[_i];
            if (c == '"' && Peek(1) == '"' && Peek(2) == '"')
            {
                // Extra quotes before the final three belong to the string ("""a"""" is a").
                while (Peek(3) == '"')
                {
                    sb.Append('"');
                    Advance();
                }

                Advance();
                Advance();
                Advance();
                return new Token(TokenType.Quoted, sb.ToString(), line, col);
            }

            sb.Append(c);
            Advance();
        }
    }

    private Token Substitution(int line, int col)
    {
        if (_json)
        {
            throw Error(line, col, "expected a JSON value but found '${' (substitutions are not allowed in JSON)");
        }

        Advance();
        Advance();
        var optional = false;
        if (Peek() == '?')
        {
            optional = true;
            Advance();
        }

        var tokens = new List<Token>();
        _inSubstitution = true;
        while (true)
        {
            var t = Next();
            switch (t.Type)
            {
                case TokenType.RBrace:
                    _inSubstitution = false;
                    return new Token(TokenType.Substitution, string.Empty, line, col) { PathTokens = tokens, Optional = optional };
                case TokenType.Whitespace:
                case TokenType.Quoted:
                case TokenType.Unquoted:
                case TokenType.Number:
                case TokenType.True:
                case TokenType.False:
                case TokenType.Null:
                    tokens.Add(t);
                    break;
                default:
                    throw Error(t.Line, t.Column, "expected a path or '}' in substitution but found " + t.Describe());
            }
        }
    }
}
