using System.Runtime.CompilerServices;
using System.Text;
using ActorNet.Hocon.Values;

namespace ActorNet.Hocon.Parsing;

/// <summary>
/// Recursive-descent parser over the token list of one document (HOCON, or strict JSON when <c>json</c> is set).
/// Produces an unresolved tree: duplicate keys merged, concatenations joined where possible, substitutions kept.
/// Includes are loaded through <see cref="SourceLoader"/>. Single use, single thread.
/// </summary>
internal sealed class Parser
{
    public const int MaxDepth = 500;

    private readonly List<Token> _t;
    private readonly string _source;
    private readonly string? _file;
    private readonly string? _dir;
    private readonly bool _json;
    private readonly ParseContext _ctx;
    private readonly List<string> _prefix = [];
    private readonly int _baseDepth;
    private int _p;
    private int _depth;
    private int _arrayDepth;

    public Parser(string text, string source, string? file, bool json, ParseContext ctx, int baseDepth)
    {
        _source = source;
        _file = file;
        _dir = file is null ? null : Path.GetDirectoryName(file);
        _json = json;
        _ctx = ctx;
        _baseDepth = baseDepth;
        _t = new Tokenizer(text, source, json).Tokenize();
    }

    private ConfigOrigin Origin(Token t) => new(_source, _file, t.Line);

    private HoconException Err(Token t, string what) => HoconException.Parse(_source, t.Line, t.Column, what);

    private Token Peek(int ahead = 0) => _t[Math.Min(_p + ahead, _t.Count - 1)];

    private Token Next()
    {
        var t = _t[_p];
        if (_p < _t.Count - 1)
        {
            _p++;
        }

        return t;
    }

    private void SkipWs()
    {
        while (Peek().Type == TokenType.Whitespace)
        {
            _p++;
        }
    }

    private void SkipWsNl()
    {
        while (Peek().Type is TokenType.Whitespace or TokenType.Newline)
        {
            _p++;
        }
    }

    public HoconObject ParseDocument()
    {
        SkipWsNl();
        var t = Peek();
        HoconObject result;
        if (t.Type == TokenType.LBrace)
        {
            Next();
            result = ObjectBody(true, t);
        }
        else if (_json)
        {
            throw Err(t, "expected '{' at the start of a JSON document but found " + t.Describe());
        }
        else if (t.Type == TokenType.LBracket)
        {
            throw Err(t, "expected an object at the root but found '[' (a configuration document must be an object)");
        }
        else
        {
            result = ObjectBody(false, t);
        }

        SkipWsNl();
        var end = Peek();
        if (end.Type != TokenType.Eof)
        {
            throw Err(end, "expected end of file after the root object but found " + end.Describe());
        }

        return result;
    }

    private void Enter(Token at)
    {
        _depth++;
        if (_baseDepth + _depth > MaxDepth)
        {
            throw Err(at, $"expected at most {MaxDepth} levels of nesting but found more (document too deeply nested)");
        }

        if (!RuntimeHelpers.TryEnsureSufficientExecutionStack())
        {
            throw Err(at, "expected less deeply nested input but ran out of stack (document too deeply nested)");
        }
    }

    private HoconObject ObjectBody(bool braced, Token open)
    {
        Enter(open);
        var fields = new OrderedDictionary<string, HoconValue>();
        var afterComma = false;
        while (true)
        {
            SkipWsNl();
            var t = Peek();
            if (t.Type == TokenType.RBrace)
            {
                if (!braced)
                {
                    throw Err(t, "expected a key or end of file but found '}' (unbalanced braces)");
                }

                if (afterComma && _json)
                {
                    throw Err(t, "expected a key after ',' but found '}' (trailing commas are not allowed in JSON)");
                }

                Next();
                break;
            }

            if (t.Type == TokenType.Eof)
            {
                if (braced)
                {
                    throw Err(t, $"expected '}}' to close the object opened at {open.Line}:{open.Column} but found end of file");
                }

                break;
            }

            if (!_json && IsInclude())
            {
                Include(fields);
            }
            else
            {
                Field(fields);
            }

            afterComma = false;
            if (_json)
            {
                SkipWsNl();
            }
            else
            {
                SkipWs();
            }

            t = Peek();
            if (t.Type == TokenType.Comma)
            {
                Next();
                afterComma = true;
            }
            else if (t.Type == TokenType.Newline)
            {
                // A newline separates fields like a comma; a comma may still follow on a later line.
                SkipWsNl();
                if (Peek().Type == TokenType.Comma)
                {
                    Next();
                    afterComma = true;
                }
            }
            else if (t.Type is TokenType.RBrace or TokenType.Eof)
            {
                // handled at the top of the loop
            }
            else
            {
                throw Err(t, (_json ? "expected ',' or '}'" : braced ? "expected ',', newline or '}'" : "expected ',' or newline") + " after a field but found " + t.Describe());
            }
        }

        _depth--;
        return new HoconObject(fields, Origin(open));
    }

    private void Field(OrderedDictionary<string, HoconValue> fields)
    {
        var keyStart = Peek();
        string[] path;
        if (_json)
        {
            if (keyStart.Type != TokenType.Quoted)
            {
                throw Err(keyStart, "expected a quoted key in JSON but found " + keyStart.Describe());
            }

            Next();
            path = [keyStart.Text];
        }
        else
        {
            path = Key();
        }

        SkipWsNl();
        var sep = Peek();
        if (_baseDepth + _prefix.Count + path.Length > 2 * MaxDepth)
        {
            throw Err(keyStart, $"expected at most {2 * MaxDepth} levels of nesting (keys) but found a key path that is too long");
        }

        HoconValue value;
        _prefix.AddRange(path);
        try
        {
            if (_json)
            {
                if (sep.Type != TokenType.Colon)
                {
                    throw Err(sep, $"expected ':' after key \"{keyStart.Text}\" but found " + sep.Describe());
                }

                Next();
                SkipWsNl();
                value = JsonValue();
            }
            else if (sep.Type is TokenType.Colon or TokenType.Equals)
            {
                Next();
                SkipWsNl();
                value = Value();
            }
            else if (sep.Type == TokenType.PlusEquals)
            {
                if (_arrayDepth > 0)
                {
                    // The appended-to path of an object inside a list has no address; the reference rejects it too.
                    throw Err(sep, "expected '=' or ':' inside an object in a list but found '+=' (+= cannot refer to an earlier value there)");
                }

                Next();
                SkipWsNl();
                var v = Value();
                var origin = Origin(sep);
                value = new HoconConcatenation(
                    [new HoconSubstitution(_prefix.ToArray(), true, 0, origin), new HoconArray([v], v.Origin)], origin);
            }
            else if (sep.Type == TokenType.LBrace)
            {
                value = Value();
            }
            else
            {
                throw Err(sep, $"expected ':', '=', '+=' or '{{' after key '{ConfigPath.Render(path)}' but found " + sep.Describe());
            }
        }
        finally
        {
            _prefix.RemoveRange(_prefix.Count - path.Length, path.Length);
        }

        var key = path[0];
        var wrapped = ValueOps.WrapPath(path, 0, value);
        if (fields.TryGetValue(key, out var existing))
        {
            if (_json)
            {
                throw Err(keyStart, $"expected each key once in a JSON object but found \"{key}\" again (first at line {existing.Origin.Line})");
            }

            fields[key] = ValueOps.MergeWhileParsing(wrapped, existing);
        }
        else
        {
            fields[key] = wrapped;
        }
    }

    private string[] Key()
    {
        var first = Peek();
        if (!first.IsKeyPart)
        {
            throw Err(first, "expected a key but found " + first.Describe());
        }

        var b = new PathBuilder(_source);
        string? pendingWs = null;
        var last = first;
        while (true)
        {
            var t = Peek();
            if (t.IsKeyPart)
            {
                if (pendingWs is not null)
                {
                    b.AddWhitespace(pendingWs);
                    pendingWs = null;
                }

                b.Add(t);
                last = t;
                Next();
            }
            else if (t.Type == TokenType.Whitespace)
            {
                pendingWs = t.Text;
                Next();
            }
            else
            {
                break;
            }
        }

        return b.Build(last);
    }

    private HoconValue Value()
    {
        var first = Peek();
        var pieces = new List<HoconValue>();
        string? ws = null;
        while (true)
        {
            var t = Peek();
            if (t.Type == TokenType.Whitespace)
            {
                if (pieces.Count > 0)
                {
                    ws = t.Text;
                }

                Next();
                continue;
            }

            if (!t.IsValueStart)
            {
                break;
            }

            if (ws is not null)
            {
                pieces.Add(new HoconString(ws, Origin(t), isWhitespace: true));
                ws = null;
            }

            pieces.Add(Single());
        }

        if (pieces.Count == 0)
        {
            throw Err(Peek(), "expected a value but found " + Peek().Describe());
        }

        return ValueOps.Concat(pieces, Origin(first), _source, first.Line, first.Column);
    }

    private HoconValue Single()
    {
        var t = Next();
        switch (t.Type)
        {
            case TokenType.Quoted:
            case TokenType.Unquoted:
                return new HoconString(t.Text, Origin(t));
            case TokenType.Number:
                return new HoconNumber(t.Text, Origin(t));
            case TokenType.True:
                return new HoconBoolean(true, Origin(t));
            case TokenType.False:
                return new HoconBoolean(false, Origin(t));
            case TokenType.Null:
                return new HoconNull(Origin(t));
            case TokenType.Substitution:
                return new HoconSubstitution(PathBuilder.FromTokens(t.PathTokens!, t, _source), t.Optional, 0, Origin(t));
            case TokenType.LBrace:
                return ObjectBody(true, t);
            case TokenType.LBracket:
                return Array(t);
            default:
                throw Err(t, "expected a value but found " + t.Describe());
        }
    }

    private HoconArray Array(Token open)
    {
        Enter(open);
        _arrayDepth++;
        var items = new List<HoconValue>();
        var afterComma = false;
        while (true)
        {
            SkipWsNl();
            var t = Peek();
            if (t.Type == TokenType.RBracket)
            {
                if (afterComma && _json)
                {
                    throw Err(t, "expected a value after ',' but found ']' (trailing commas are not allowed in JSON)");
                }

                Next();
                break;
            }

            if (t.Type == TokenType.Eof)
            {
                throw Err(t, $"expected ']' to close the array opened at {open.Line}:{open.Column} but found end of file");
            }

            if (t.Type == TokenType.Comma)
            {
                throw Err(t, "expected a value or ']' but found ','");
            }

            items.Add(_json ? JsonValue() : Value());
            afterComma = false;
            if (_json)
            {
                SkipWsNl();
            }
            else
            {
                SkipWs();
            }

            t = Peek();
            if (t.Type == TokenType.Comma)
            {
                Next();
                afterComma = true;
            }
            else if (t.Type == TokenType.Newline)
            {
                // A newline separates elements like a comma; a comma may still follow on a later line.
                SkipWsNl();
                if (Peek().Type == TokenType.Comma)
                {
                    Next();
                    afterComma = true;
                }
            }
            else if (t.Type == TokenType.RBracket)
            {
                // end of the array
            }
            else
            {
                throw Err(t, (_json ? "expected ',' or ']'" : "expected ',', newline or ']'") + " after an array element but found " + t.Describe());
            }
        }

        _arrayDepth--;
        _depth--;
        return new HoconArray(items.ToArray(), Origin(open));
    }

    private HoconValue JsonValue()
    {
        var t = Peek();
        switch (t.Type)
        {
            case TokenType.Quoted:
            case TokenType.Number:
            case TokenType.True:
            case TokenType.False:
            case TokenType.Null:
            case TokenType.LBrace:
            case TokenType.LBracket:
                var v = Single();
                SkipWs();
                var n = Peek();
                if (n.IsValueStart)
                {
                    throw Err(n, "expected ',' or a closing bracket but found " + n.Describe() + " (JSON does not concatenate values)");
                }

                return v;
            default:
                throw Err(t, "expected a JSON value but found " + t.Describe() + (t.Type == TokenType.Unquoted ? " (quote strings in JSON)" : string.Empty));
        }
    }

    /// <summary>
    /// An unquoted <c>include</c> at the start of a key is always an include statement (the spec: anything but a
    /// quoted name after it is an error); <c>"include"</c> quoted, or <c>include.x</c>, are ordinary keys.
    /// </summary>
    private bool IsInclude()
    {
        var t = Peek();
        return t.Type == TokenType.Unquoted && t.Text == "include";
    }

    private void Include(OrderedDictionary<string, HoconValue> fields)
    {
        var inc = Next();
        SkipWsNl();
        var spec = new StringBuilder();
        var names = new List<string>();
        while (true)
        {
            var t = Peek();
            if (t.Type is TokenType.Newline or TokenType.Comma or TokenType.RBrace or TokenType.Eof)
            {
                break;
            }

            if (t.Type == TokenType.Quoted)
            {
                spec.Append('\u0001');
                names.Add(t.Text);
            }
            else if (t.Type == TokenType.Unquoted)
            {
                spec.Append(t.Text);
            }
            else if (t.Type != TokenType.Whitespace)
            {
                throw Err(t, "expected a quoted name after include (include \"name\", file(\"name\"), required(...)) but found " + t.Describe());
            }

            Next();
        }

        var s = spec.ToString();
        var required = false;
        if (s.StartsWith("required(", StringComparison.Ordinal) && s.EndsWith(')'))
        {
            required = true;
            s = s[9..^1];
        }

        var kind = "heuristic";
        foreach (var k in new[] { "file", "url", "classpath" })
        {
            if (s.StartsWith(k + "(", StringComparison.Ordinal) && s.EndsWith(')'))
            {
                kind = k;
                s = s[(k.Length + 1)..^1];
                break;
            }
        }

        if (s != "\u0001" || names.Count != 1)
        {
            var found = Peek();
            throw Err(names.Count == 0 ? found : inc, "expected a quoted name after include (include \"name\", file(\"name\"), required(...)) but found "
                + (names.Count == 0 && s.Length == 0 ? found.Describe() : "'" + s.Replace('\u0001', '"') + "'"));
        }

        var name = names[0];
        HoconObject? obj = null;
        switch (kind)
        {
            case "heuristic":
                if (!name.Contains("://", StringComparison.Ordinal))
                {
                    var full = Path.IsPathRooted(name) ? name : Path.Combine(_dir ?? Directory.GetCurrentDirectory(), name);
                    obj = SourceLoader.LoadAnySyntax(full, _ctx, inc, _source, _baseDepth + _depth);
                }

                break;
            case "file":
                obj = SourceLoader.LoadAnySyntax(Path.GetFullPath(name), _ctx, inc, _source, _baseDepth + _depth);
                break;
            default:
                // url(...) and classpath(...) are Java-only features: treated as not found.
                break;
        }

        if (obj is null)
        {
            if (required)
            {
                throw Err(inc, $"expected required include '{name}' to exist but it was not found" + (kind is "url" or "classpath" ? $" ({kind} includes are not supported)" : string.Empty));
            }

            return;
        }

        if (_arrayDepth > 0 && obj.HasUnresolved)
        {
            throw Err(inc, $"expected an included file without substitutions inside an array, but '{name}' uses ${{}} (an include nested inside a list cannot resolve substitutions, as in the reference implementation)");
        }

        obj = (HoconObject)ValueOps.Relativize(obj, _prefix.ToArray());
        foreach (var kv in obj.Fields)
        {
            fields[kv.Key] = fields.TryGetValue(kv.Key, out var existing) ? ValueOps.MergeWhileParsing(kv.Value, existing) : kv.Value;
        }
    }
}
