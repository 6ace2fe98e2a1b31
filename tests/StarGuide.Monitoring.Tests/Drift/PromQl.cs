using System.Text.RegularExpressions;

namespace StarGuide.Monitoring.Tests.Drift;

/// <summary>A vector selector in an expression: the metric it names and the labels its matchers use.</summary>
internal sealed record Selector(string Metric, IReadOnlySet<string> Labels);

/// <summary>
/// What a PromQL expression reads: its vector selectors, the labels it groups or matches on (<c>by</c>, <c>without</c>,
/// <c>on</c>, <c>ignoring</c>, <c>group_left/right</c>), and the labels <c>label_replace</c> creates. Only what the
/// no-drift check needs: it tokenizes, it does not evaluate (Prometheus itself checks the syntax).
/// </summary>
internal sealed partial class PromQl
{
    private static readonly HashSet<string> Keywords = new(StringComparer.OrdinalIgnoreCase)
    {
        "and", "or", "unless", "bool", "offset", "by", "without", "on", "ignoring", "group_left", "group_right",
        "inf", "nan", "atan2",
        // Aggregations, which may be followed by "by (...)" rather than by their parenthesis.
        "sum", "min", "max", "avg", "group", "stddev", "stdvar", "count", "count_values", "bottomk", "topk", "quantile",
    };

    private static readonly HashSet<string> Grouping = new(StringComparer.Ordinal)
    {
        "by", "without", "on", "ignoring", "group_left", "group_right",
    };

    private PromQl(IReadOnlyList<Selector> selectors, IReadOnlySet<string> groupingLabels, IReadOnlySet<string> createdLabels)
    {
        Selectors = selectors;
        GroupingLabels = groupingLabels;
        CreatedLabels = createdLabels;
    }

    public IReadOnlyList<Selector> Selectors { get; }

    public IReadOnlySet<string> GroupingLabels { get; }

    public IReadOnlySet<string> CreatedLabels { get; }

    public static PromQl Parse(string expression)
    {
        var tokens = Tokenize(expression);
        var selectors = new List<Selector>();
        var grouping = new HashSet<string>(StringComparer.Ordinal);
        var created = new HashSet<string>(StringComparer.Ordinal);
        for (var i = 0; i < tokens.Count; i++)
        {
            var token = tokens[i];
            var next = i + 1 < tokens.Count ? tokens[i + 1].Text : "";
            if (token.Kind != Kind.Identifier)
            {
                if (token.Text == "{")
                {
                    // A selector without a name before its braces ({__name__="x"}).
                    var labels = Matchers(tokens, ref i, out var name);
                    selectors.Add(new Selector(name ?? throw new FormatException($"a selector without a metric name in: {expression}"), labels));
                }
                continue;
            }
            if (Grouping.Contains(token.Text) && next == "(")
            {
                i += 2;
                for (; i < tokens.Count && tokens[i].Text != ")"; i++)
                {
                    if (tokens[i].Kind == Kind.Identifier)
                    {
                        grouping.Add(tokens[i].Text);
                    }
                }
                continue;
            }
            if (token.Text == "label_replace" && next == "(")
            {
                // label_replace(v, "dst", "replacement", "src", "regex"): the strings at depth 1 after the vector.
                var strings = StringArguments(tokens, i + 1);
                if (strings.Count >= 3)
                {
                    created.Add(strings[0]);
                    grouping.Add(strings[2]);
                }
                continue;
            }
            if (next == "(" || Keywords.Contains(token.Text))
            {
                continue;
            }
            if (next == "{")
            {
                i++;
                var labels = Matchers(tokens, ref i, out _);
                selectors.Add(new Selector(token.Text, labels));
            }
            else
            {
                selectors.Add(new Selector(token.Text, new HashSet<string>()));
            }
        }
        return new PromQl(selectors, grouping, created);
    }

    /// <summary>The labels a Grafana legend or an alert template names: <c>{{pool}}</c>, <c>{{ $labels.pool }}</c>.</summary>
    public static IEnumerable<string> TemplateLabels(string template) =>
        TemplateLabel().Matches(template).Select(m => m.Groups[1].Value);

    private static HashSet<string> Matchers(List<Token> tokens, ref int i, out string? name)
    {
        name = null;
        var labels = new HashSet<string>(StringComparer.Ordinal);
        for (i++; i < tokens.Count && tokens[i].Text != "}"; i++)
        {
            if (tokens[i].Kind == Kind.Identifier && i + 2 < tokens.Count && tokens[i + 1].Kind == Kind.Operator)
            {
                if (tokens[i].Text == "__name__")
                {
                    name = tokens[i + 2].Text;
                }
                else
                {
                    labels.Add(tokens[i].Text);
                }
                i += 2;
            }
        }
        return labels;
    }

    private static List<string> StringArguments(List<Token> tokens, int open)
    {
        var strings = new List<string>();
        var depth = 0;
        for (var i = open; i < tokens.Count; i++)
        {
            var text = tokens[i].Text;
            depth += text is "(" or "{" or "[" ? 1 : text is ")" or "}" or "]" ? -1 : 0;
            if (depth == 0)
            {
                break;
            }
            if (depth == 1 && tokens[i].Kind == Kind.String)
            {
                strings.Add(tokens[i].Text);
            }
        }
        return strings;
    }

    private enum Kind { Identifier, Number, String, Operator, Punctuation }

    private sealed record Token(Kind Kind, string Text);

    private static List<Token> Tokenize(string text)
    {
        var tokens = new List<Token>();
        var i = 0;
        while (i < text.Length)
        {
            var c = text[i];
            if (char.IsWhiteSpace(c))
            {
                i++;
            }
            else if (c == '#')
            {
                while (i < text.Length && text[i] != '\n')
                {
                    i++;
                }
            }
            else if (c is '"' or '\'' or '`')
            {
                var end = i + 1;
                var value = new System.Text.StringBuilder();
                while (end < text.Length && text[end] != c)
                {
                    if (text[end] == '\\' && c != '`' && end + 1 < text.Length)
                    {
                        end++;
                    }
                    value.Append(text[end++]);
                }
                tokens.Add(new Token(Kind.String, value.ToString()));
                i = end + 1;
            }
            else if (char.IsDigit(c) || (c == '.' && i + 1 < text.Length && char.IsDigit(text[i + 1])))
            {
                // Numbers and durations (5m, 1h30m, 1e3, 0.99).
                var start = i;
                while (i < text.Length && (char.IsLetterOrDigit(text[i]) || text[i] == '.'))
                {
                    i++;
                }
                tokens.Add(new Token(Kind.Number, text[start..i]));
            }
            else if (char.IsLetter(c) || c is '_' or ':')
            {
                var start = i;
                while (i < text.Length && (char.IsLetterOrDigit(text[i]) || text[i] is '_' or ':'))
                {
                    i++;
                }
                tokens.Add(new Token(Kind.Identifier, text[start..i]));
            }
            else if (c is '(' or ')' or '{' or '}' or '[' or ']' or ',')
            {
                tokens.Add(new Token(Kind.Punctuation, c.ToString()));
                i++;
            }
            else
            {
                var start = i;
                while (i < text.Length && "=!~<>+-*/%^".Contains(text[i], StringComparison.Ordinal))
                {
                    i++;
                }
                if (i == start)
                {
                    throw new FormatException($"unexpected '{c}' at {i} in: {text}");
                }
                tokens.Add(new Token(Kind.Operator, text[start..i]));
            }
        }
        return tokens;
    }

    [GeneratedRegex(@"\{\{\s*(?:\$labels\.)?([a-zA-Z_][a-zA-Z0-9_]*)\s*\}\}")]
    private static partial Regex TemplateLabel();
}
