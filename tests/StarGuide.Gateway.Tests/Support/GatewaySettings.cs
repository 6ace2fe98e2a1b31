namespace StarGuide.Gateway.Tests.Support;

/// <summary>Gateway configuration for tests: pools of one instance each, plus any extra keys.</summary>
public static class GatewaySettings
{
    /// <param name="backend">Address of the one <c>backend</c> instance (<c>/api/*</c>), or null for one that is never used.</param>
    /// <param name="frontend">Address of the one <c>frontend</c> instance (everything else), or null for one that is never used.</param>
    public static Dictionary<string, string?> Pools(string? backend, string? frontend = null)
    {
        // The default routes need both pools; a missing one points at the discard port and is never asked.
        // Rate limits (Redis) have tests of their own.
        return new Dictionary<string, string?>
        {
            ["Gateway:RateLimiting:Enabled"] = "false",
            ["Pools:backend:Instances:0:Id"] = "backend-1",
            ["Pools:backend:Instances:0:Address"] = backend ?? "http://127.0.0.1:9",
            ["Pools:frontend:Instances:0:Id"] = "frontend-1",
            ["Pools:frontend:Instances:0:Address"] = frontend ?? "http://127.0.0.1:9",
        };
    }

    /// <summary>
    /// Raises the shipped per-try timeouts (appsettings.json: 2 s on auth, health, metrics, api; 5 s on static and frontend)
    /// to 30 s, for tests that count the answers of many concurrent requests to one instance: on a busy machine one of them
    /// may wait longer than that,
    /// and with no other instance to retry on it would be a 504. The per-try timeout has tests of its own.
    /// </summary>
    public static Dictionary<string, string?> WithPatientTries(this Dictionary<string, string?> settings)
    {
        foreach (var route in new[] { "auth", "health", "metrics", "api", "static", "frontend" })
        {
            settings[$"Gateway:Routes:{route}:TryTimeout"] = "00:00:30";
        }
        return settings;
    }
}
