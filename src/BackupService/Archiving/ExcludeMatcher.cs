using System.Text;
using System.Text.RegularExpressions;

namespace StarGuide.BackupService.Archiving;

/// <summary>
/// A source's <c>Excludes</c> globs, matched against paths relative to the source root with '/' separators.
/// A pattern without '/' is matched against the name alone, at any depth, as in <c>.gitignore</c>.
/// </summary>
internal sealed class ExcludeMatcher
{
    private readonly Regex[] _byName;
    private readonly Regex[] _byPath;

    public ExcludeMatcher(IEnumerable<string> patterns)
    {
        var trimmed = patterns.Select(p => p.Trim().Trim('/')).Where(p => p.Length > 0).ToList();
        _byName = [.. trimmed.Where(p => !p.Contains('/', StringComparison.Ordinal)).Select(ToRegex)];
        _byPath = [.. trimmed.Where(p => p.Contains('/', StringComparison.Ordinal)).Select(ToRegex)];
    }

    public bool IsExcluded(string relativePath)
    {
        var name = relativePath[(relativePath.LastIndexOf('/') + 1)..];
        return _byName.Any(r => r.IsMatch(name)) || _byPath.Any(r => r.IsMatch(relativePath));
    }

    private static Regex ToRegex(string glob)
    {
        var pattern = new StringBuilder("^");
        for (var i = 0; i < glob.Length; i++)
        {
            var c = glob[i];
            if (c == '*' && i + 1 < glob.Length && glob[i + 1] == '*')
            {
                // "**/" is zero or more whole folders; a trailing "**" is anything below.
                var slash = i + 2 < glob.Length && glob[i + 2] == '/';
                pattern.Append(slash ? "(?:.*/)?" : ".*");
                i += slash ? 2 : 1;
            }
            else
            {
                pattern.Append(c switch
                {
                    '*' => "[^/]*",
                    '?' => "[^/]",
                    _ => Regex.Escape(c.ToString()),
                });
            }
        }
        return new Regex(pattern.Append('$').ToString(), RegexOptions.CultureInvariant);
    }
}
