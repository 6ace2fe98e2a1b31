namespace StarGuide.Gateway.Tests.Support;

/// <summary>Gateway configuration for tests: pools of one instance each, plus any extra keys.</summary>
public static class GatewaySettings
{
    /// <param name="backend">Address of the one <c>backend</c> instance (<c>/api/*</c>), or null for no backend pool.</param>
    /// <param name="frontend">Address of the one <c>frontend</c> instance (everything else), or null for none.</param>
    public static Dictionary<string, string?> Pools(string? backend, string? frontend = null)
    {
        var settings = new Dictionary<string, string?>();
        if (backend is not null)
        {
            settings["Pools:backend:Instances:0:Id"] = "backend-1";
            settings["Pools:backend:Instances:0:Address"] = backend;
        }
        if (frontend is not null)
        {
            settings["Pools:frontend:Instances:0:Id"] = "frontend-1";
            settings["Pools:frontend:Instances:0:Address"] = frontend;
        }
        return settings;
    }
}
