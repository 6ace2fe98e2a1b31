using System.Net.Http.Headers;

namespace StarGuide.Testing;

/// <summary>
/// The management tokens every test gives the services it starts (<c>Management:Tokens</c>): <c>operator</c> may
/// operate, <c>viewer</c> may read. Test-only values; a deployment's come from secrets.
/// </summary>
public static class TestManagement
{
    public const string OperatorName = "operator";
    public const string OperateToken = "test-operate-token-5f0c7d1e9a2b4c68";
    public const string ViewerName = "viewer";
    public const string ReadToken = "test-read-token-8e3b6a0f4d2c1e97";

    /// <summary>The settings, as configuration keys.</summary>
    public static IReadOnlyDictionary<string, string?> Settings { get; } = new Dictionary<string, string?>
    {
        [$"Management:Tokens:{OperatorName}:Role"] = "operate",
        [$"Management:Tokens:{OperatorName}:Token"] = OperateToken,
        [$"Management:Tokens:{ViewerName}:Role"] = "read",
        [$"Management:Tokens:{ViewerName}:Token"] = ReadToken,
    };

    /// <summary>The settings as command-line arguments of a service process.</summary>
    public static IEnumerable<string> Arguments => Settings.Select(s => $"--{s.Key}={s.Value}");

    /// <summary>The settings as environment variables of a service process.</summary>
    public static IEnumerable<KeyValuePair<string, string?>> EnvironmentVariables =>
        Settings.Select(s => KeyValuePair.Create(s.Key.Replace(":", "__", StringComparison.Ordinal), s.Value));

    /// <summary>Adds the settings to <paramref name="settings"/>.</summary>
    public static IDictionary<string, string?> WithManagementTokens(this IDictionary<string, string?> settings)
    {
        foreach (var (key, value) in Settings)
        {
            settings[key] = value;
        }
        return settings;
    }

    /// <summary>Makes every request of <paramref name="client"/> carry <paramref name="token"/> (the operate one by default).</summary>
    public static HttpClient WithManagementToken(this HttpClient client, string token = OperateToken)
    {
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        return client;
    }
}
