using YamlDotNet.RepresentationModel;

namespace StarGuide.Monitoring.Tests.Support;

/// <summary>One rule of a Prometheus rule file: an alert or a recording rule, with where it came from.</summary>
internal sealed record Rule(string File, string? Alert, string? Record, string Expr, IReadOnlyDictionary<string, string> Labels, string Annotations)
{
    public string Name => Alert ?? Record!;

    public static IReadOnlyList<Rule> ReadAll() => [.. Repository.RuleFiles.SelectMany(Read)];

    public static IEnumerable<Rule> Read(string path)
    {
        var root = Yaml.Load(path);
        foreach (var group in Yaml.Sequence(root, "groups"))
        {
            foreach (var rule in Yaml.Sequence(group, "rules"))
            {
                var labels = rule is YamlMappingNode m && m.Children.TryGetValue("labels", out var l) && l is YamlMappingNode lm
                    ? lm.Children.ToDictionary(kv => ((YamlScalarNode)kv.Key).Value!, kv => ((YamlScalarNode)kv.Value).Value ?? "")
                    : [];
                yield return new Rule(System.IO.Path.GetFileName(path), Yaml.Scalar(rule, "alert"), Yaml.Scalar(rule, "record"),
                    Yaml.Scalar(rule, "expr") ?? throw new InvalidOperationException($"{path}: a rule without expr"), labels,
                    rule is YamlMappingNode r && r.Children.TryGetValue("annotations", out var a) && a is YamlMappingNode am
                        ? string.Join('\n', am.Children.Values.OfType<YamlScalarNode>().Select(v => v.Value))
                        : "");
            }
        }
    }
}

internal static class Yaml
{
    public static YamlNode Load(string path)
    {
        using var reader = new StreamReader(path);
        var stream = new YamlStream();
        stream.Load(reader);
        return stream.Documents[0].RootNode;
    }

    public static IEnumerable<YamlNode> Sequence(YamlNode node, string key) =>
        node is YamlMappingNode map && map.Children.TryGetValue(key, out var value) && value is YamlSequenceNode seq ? seq.Children : [];

    public static string? Scalar(YamlNode node, string key) =>
        node is YamlMappingNode map && map.Children.TryGetValue(key, out var value) && value is YamlScalarNode scalar ? scalar.Value : null;
}
