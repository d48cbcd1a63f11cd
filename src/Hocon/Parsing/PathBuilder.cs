using System.Text;

namespace ActorNet.Hocon.Parsing;

/// <summary>Builds a key path from key tokens: unquoted text splits on '.', quoted text never does.</summary>
internal sealed class PathBuilder
{
    private readonly List<string> _keys = [];
    private readonly StringBuilder _cur = new();
    private readonly string _source;
    private bool _started;

    public PathBuilder(string source)
    {
        _source = source;
    }

    public void Add(Token t)
    {
        if (t.Type == TokenType.Quoted)
        {
            _cur.Append(t.Text);
            _started = true;
            return;
        }

        var parts = t.Text.Split('.');
        for (var j = 0; j < parts.Length; j++)
        {
            if (j > 0)
            {
                Finish(t);
            }

            if (parts[j].Length > 0)
            {
                _cur.Append(parts[j]);
                _started = true;
            }
        }
    }

    public void AddWhitespace(string ws) => _cur.Append(ws);

    private void Finish(Token t)
    {
        if (!_started)
        {
            throw HoconException.Parse(_source, t.Line, t.Column,
                $"expected a key but found an empty path element in '{t.Text}' (leading, trailing or doubled '.'; quote keys that contain '.')");
        }

        _keys.Add(_cur.ToString());
        _cur.Clear();
        _started = false;
    }

    public string[] Build(Token last)
    {
        Finish(last);
        return _keys.ToArray();
    }

    public static string[] FromTokens(List<Token> tokens, Token at, string source)
    {
        var start = 0;
        var end = tokens.Count;
        while (start < end && tokens[start].Type == TokenType.Whitespace)
        {
            start++;
        }

        while (end > start && tokens[end - 1].Type == TokenType.Whitespace)
        {
            end--;
        }

        if (start == end)
        {
            throw HoconException.Parse(source, at.Line, at.Column, "expected a path in substitution but found '}' (empty substitution ${})");
        }

        var b = new PathBuilder(source);
        for (var i = start; i < end; i++)
        {
            if (tokens[i].Type == TokenType.Whitespace)
            {
                b.AddWhitespace(tokens[i].Text);
            }
            else
            {
                b.Add(tokens[i]);
            }
        }

        return b.Build(tokens[end - 1]);
    }
}
