namespace ActorNet.Hocon.Parsing;

/// <summary>Kinds of lexical tokens.</summary>
internal enum TokenType
{
    Eof,
    Newline,
    Whitespace,
    LBrace,
    RBrace,
    LBracket,
    RBracket,
    Comma,
    Colon,
    Equals,
    PlusEquals,
    Quoted,
    Unquoted,
    Number,
    True,
    False,
    Null,
    Substitution,
}

/// <summary>One token with its position (1-based line and column).</summary>
internal sealed class Token
{
    public Token(TokenType type, string text, int line, int column)
    {
        Type = type;
        Text = text;
        Line = line;
        Column = column;
    }

    public TokenType Type { get; }

    /// <summary>Source text (for strings: the processed content; for numbers: the digits as written).</summary>
    public string Text { get; }

    public int Line { get; }

    public int Column { get; }

    /// <summary>For substitutions: the tokens of the path inside <c>${...}</c>.</summary>
    public List<Token>? PathTokens { get; init; }

    /// <summary>For substitutions: <c>${?...}</c>.</summary>
    public bool Optional { get; init; }

    public bool IsValueStart => Type is TokenType.Quoted or TokenType.Unquoted or TokenType.Number or TokenType.True
        or TokenType.False or TokenType.Null or TokenType.Substitution or TokenType.LBrace or TokenType.LBracket;

    public bool IsKeyPart => Type is TokenType.Quoted or TokenType.Unquoted or TokenType.Number or TokenType.True
        or TokenType.False or TokenType.Null;

    public string Describe()
    {
        return Type switch
        {
            TokenType.Eof => "end of file",
            TokenType.Newline => "newline",
            TokenType.Whitespace => "whitespace",
            TokenType.LBrace => "'{'",
            TokenType.RBrace => "'}'",
            TokenType.LBracket => "'['",
            TokenType.RBracket => "']'",
            TokenType.Comma => "','",
            TokenType.Colon => "':'",
            TokenType.Equals => "'='",
            TokenType.PlusEquals => "'+='",
            TokenType.Quoted => "string \"" + Short(Text) + "\"",
            TokenType.Unquoted => "'" + Short(Text) + "'",
            TokenType.Number => "number " + Short(Text),
            TokenType.True => "true",
            TokenType.False => "false",
            TokenType.Null => "null",
            TokenType.Substitution => "substitution ${" + (Optional ? "?" : string.Empty) + "...}",
            _ => Type.ToString(),
        };
    }

    private static string Short(string s) => s.Length > 40 ? s[..40] + "..." : s;
}
