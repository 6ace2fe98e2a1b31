using System.Globalization;
using System.Text;

namespace StarGuide.Scaler.Drivers.Docker;

/// <summary>Expands <c>{id}</c>, <c>{index}</c>, <c>{pool}</c>, <c>{port}</c> and makes container names the engine accepts.</summary>
internal static class DockerTemplates
{
    public static string Expand(string template, InstanceLaunch launch, int containerPort) =>
        template
            .Replace("{id}", launch.InstanceId, StringComparison.Ordinal)
            .Replace("{index}", launch.Ordinal.ToString(CultureInfo.InvariantCulture), StringComparison.Ordinal)
            .Replace("{pool}", launch.Pool, StringComparison.Ordinal)
            .Replace("{port}", containerPort.ToString(CultureInfo.InvariantCulture), StringComparison.Ordinal);

    /// <summary>
    /// <c>starguide-backend-7</c> for instance <c>backend-7</c> (ids normally start with the pool's name; other ids get
    /// it in front). Characters the engine refuses in names (<c>[a-zA-Z0-9][a-zA-Z0-9_.-]*</c>) become <c>-</c>.
    /// </summary>
    public static string ContainerName(string prefix, string pool, string instanceId)
    {
        var id = instanceId.StartsWith(pool + "-", StringComparison.Ordinal) ? instanceId : $"{pool}-{instanceId}";
        var name = new StringBuilder($"{prefix}-{id}");
        for (var i = 0; i < name.Length; i++)
        {
            if (!IsNameChar(name[i]))
            {
                name[i] = '-';
            }
        }

        return name.ToString();
    }

    public static bool IsValidName(string name) =>
        name.Length > 0 && char.IsAsciiLetterOrDigit(name[0]) && name.All(IsNameChar);

    private static bool IsNameChar(char c) => char.IsAsciiLetterOrDigit(c) || c is '_' or '.' or '-';
}
