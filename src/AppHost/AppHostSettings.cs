using System.Diagnostics.CodeAnalysis;
using Microsoft.Extensions.Configuration;

namespace StarGuide.AppHost;

/// <summary>The AppHost's own settings (section <c>StarGuide</c>, e.g. <c>--StarGuide:GatewayPort=9090</c>).</summary>
internal sealed record AppHostSettings(
    int GatewayPort,
    int GatewayManagementPort,
    int ScalerPort,
    int BackendInstances,
    int FrontendInstances,
    InfrastructureChoice Infrastructure)
{
    public const string SectionName = "StarGuide";

    /// <summary>False, with the message naming the key, when a setting is not valid.</summary>
    public static bool TryFrom(IConfiguration configuration, [NotNullWhen(true)] out AppHostSettings? settings, out string problem)
    {
        try
        {
            settings = From(configuration);
            problem = "";
            return true;
        }
        catch (InvalidOperationException ex)
        {
            settings = null;
            problem = ex.Message;
            return false;
        }
    }

    public static AppHostSettings From(IConfiguration configuration)
    {
        var section = configuration.GetSection(SectionName);
        return new AppHostSettings(
            ReadInt(section, "GatewayPort", 8080, 1, 65535),
            ReadInt(section, "GatewayManagementPort", 8081, 1, 65535),
            ReadInt(section, "ScalerPort", 8090, 1, 65535),
            ReadInt(section, "BackendInstances", 2, 1, 20),
            ReadInt(section, "FrontendInstances", 2, 1, 20),
            ReadChoice(section, "Infrastructure"));
    }

    private static int ReadInt(IConfigurationSection section, string key, int fallback, int min, int max)
    {
        var raw = section[key];
        if (raw is null)
        {
            return fallback;
        }
        return int.TryParse(raw, out var value) && value >= min && value <= max
            ? value
            : throw new InvalidOperationException($"{SectionName}:{key} must be a whole number from {min} to {max}; it is '{raw}'.");
    }

    private static InfrastructureChoice ReadChoice(IConfigurationSection section, string key)
    {
        var raw = section[key];
        if (raw is null)
        {
            return InfrastructureChoice.Auto;
        }
        return Enum.TryParse<InfrastructureChoice>(raw, ignoreCase: true, out var value) && Enum.IsDefined(value)
            ? value
            : throw new InvalidOperationException($"{SectionName}:{key} must be auto, containers or local; it is '{raw}'.");
    }
}

/// <summary>Where RabbitMQ and Redis come from.</summary>
internal enum InfrastructureChoice
{
    /// <summary>The local executables when both are installed, else containers when a container runtime answers.</summary>
    Auto,
    Containers,
    Local,
}
