using System.Text.RegularExpressions;
using StarGuide.Deploy.Tests.Manifests;
using YamlDotNet.Core;
using YamlDotNet.Serialization;

namespace StarGuide.Deploy.Tests.Compose;

/// <summary>
/// deploy/compose.yaml as compose reads it with no variable set: <c>${NAME:-default}</c> and <c>${NAME-default}</c> take
/// their default, a required <c>${NAME:?message}</c> the text <c>NAME</c>; YAML merge keys (<c>&lt;&lt;: *service</c>) applied.
/// </summary>
internal static partial class ComposeFile
{
    private static readonly Lazy<Dictionary<string, object>> Document = new(() =>
    {
        var text = Variable().Replace(File.ReadAllText(Repository.ComposeFile), m => m.Groups["default"].Success ? m.Groups["default"].Value : m.Groups["name"].Value);
        var parser = new MergingParser(new Parser(new StringReader(text)));
        return new DeserializerBuilder().Build().Deserialize<Dictionary<string, object>>(parser);
    });

    public static IReadOnlyDictionary<string, Dictionary<object, object>> Services =>
        Map(Document.Value["services"]).ToDictionary(s => (string)s.Key, s => Map(s.Value));

    public static IReadOnlyDictionary<string, Dictionary<object, object>> Networks =>
        Map(Document.Value["networks"]).ToDictionary(s => (string)s.Key, s => s.Value is null ? [] : Map(s.Value));

    public static Dictionary<object, object> Map(object? value) => value as Dictionary<object, object> ?? [];

    public static IEnumerable<string> List(Dictionary<object, object> service, string key) =>
        service.TryGetValue(key, out var value) && value is List<object> items ? items.Select(i => (string)i) : [];

    /// <summary>A service's environment as a dictionary (the compose file writes it as a map).</summary>
    public static IReadOnlyDictionary<string, string> Environment(Dictionary<object, object> service) =>
        Map(service.GetValueOrDefault("environment")).ToDictionary(e => (string)e.Key, e => e.Value?.ToString() ?? "");

    /// <summary>The networks a service joins (a list or a map of them); none for network_mode.</summary>
    public static IReadOnlyList<string> NetworksOf(Dictionary<object, object> service) =>
        service.GetValueOrDefault("networks") switch
        {
            List<object> names => [.. names.Select(n => (string)n)],
            Dictionary<object, object> map => [.. map.Keys.Select(k => (string)k)],
            _ => [],
        };

    /// <summary>The compose key of the network compose creates under <paramref name="name"/> (its <c>name:</c>).</summary>
    public static string NetworkNamed(string name) =>
        Networks.Single(n => n.Value.GetValueOrDefault("name") as string == name).Key;

    [GeneratedRegex(@"\$\{(?<name>[A-Za-z_][A-Za-z0-9_]*)(?::?-(?<default>[^}]*)|:?\?[^}]*)?\}")]
    private static partial Regex Variable();
}
