namespace StarGuide.Testing.Tests;

/// <summary>What a server the tests started holds on the machine: its processes and data folder, or its container.</summary>
internal sealed record Remains(IReadOnlyList<int> ProcessIds, string? DataDirectory, string? ContainerId)
{
    internal static Remains Of(RabbitMqServer server) => new(server.ProcessIds, server.DataDirectory, server.Container?.Id);

    internal static Remains Of(RedisServer server) =>
        new(server.ProcessId is { } pid ? [pid] : [], server.DataDirectory, server.Container?.Id);

    /// <summary>What of it is still there: live processes, the folder, the container (found by its label, via the Docker API).</summary>
    internal async Task<IReadOnlyList<string>> StillThereAsync()
    {
        var found = ProcessIds.Where(ProcessState.IsAlive).Select(pid => $"process {pid}").ToList();
        if (DataDirectory is not null && Directory.Exists(DataDirectory))
        {
            found.Add($"folder {DataDirectory}");
        }

        if (ContainerId is not null && (await DockerRequirement.ContainerIdsAsync($"{DockerEngine.TestLabel}=true")).Contains(ContainerId))
        {
            found.Add($"container {ContainerId}");
        }

        return found;
    }
}
