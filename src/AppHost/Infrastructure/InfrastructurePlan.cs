using System.Diagnostics;

namespace StarGuide.AppHost.Infrastructure;

/// <summary>
/// Where RabbitMQ and Redis come from on this machine: the local <c>rabbitmq-server</c> and <c>redis-server</c>
/// executables (data under <see cref="DataDirectory"/>) when both are installed, otherwise containers when a container
/// runtime really answers (a <c>docker</c> client without an engine does not count: resources would wait forever).
/// </summary>
internal sealed record InfrastructurePlan(bool UseContainers, string RabbitMqServer, string RedisServer, string DataDirectory, string Epmd = "")
{
    /// <summary>Debian's broker script; the /usr/sbin wrapper would switch to the rabbitmq user and its folders.</summary>
    private const string DebianRabbitMqServer = "/usr/lib/rabbitmq/bin/rabbitmq-server";

    /// <summary>Where Debian's erlang-base puts epmd (not on PATH).</summary>
    private const string DebianEpmd = "/usr/lib/erlang/bin/epmd";

    public static bool TryCreate(AppHostSettings settings, string appHostDirectory, out InfrastructurePlan plan, out string problem)
    {
        var dataRoot = Path.Combine(appHostDirectory, ".data");
        var dataDirectory = Path.Combine(dataRoot, $"run-{Environment.ProcessId}");
        plan = new InfrastructurePlan(false, "", "", dataDirectory);
        problem = "";

        var rabbit = File.Exists(DebianRabbitMqServer) ? DebianRabbitMqServer : FindOnPath("rabbitmq-server");
        var redis = FindOnPath("redis-server");
        // The broker's own epmd (Erlang's port mapper), so that none outlives the run on the shared port 4369.
        var epmd = FindOnPath("epmd") ?? (File.Exists(DebianEpmd) ? DebianEpmd : null);
        var haveLocal = rabbit is not null && redis is not null && epmd is not null;

        // Auto prefers the local servers when both are installed: they start in seconds and need no image, while a
        // container runtime may answer without being able to pull one (no registry reachable).
        var runtime = settings.Infrastructure == InfrastructureChoice.Local || (settings.Infrastructure == InfrastructureChoice.Auto && haveLocal)
            ? "not asked for"
            : ProbeContainerRuntime();
        if (settings.Infrastructure != InfrastructureChoice.Local && runtime == "")
        {
            RemoveDataOfEndedRuns(dataRoot); // containers keep nothing there but the broker's users file
            plan = plan with { UseContainers = true };
            return true;
        }
        if (settings.Infrastructure == InfrastructureChoice.Containers)
        {
            problem = $"StarGuide:Infrastructure is 'containers' but no container runtime answers ({runtime}). "
                + "Start Docker or Podman, or run with --StarGuide:Infrastructure=local.";
            return false;
        }
        if (!haveLocal)
        {
            problem = MissingExecutablesMessage(runtime, rabbit is null || epmd is null, redis is null);
            return false;
        }

        RemoveDataOfEndedRuns(dataRoot);
        Directory.CreateDirectory(dataDirectory);
        plan = plan with { RabbitMqServer = rabbit!, RedisServer = redis!, Epmd = epmd! };
        return true;
    }

    internal static string MissingExecutablesMessage(string runtime, bool rabbitMissing, bool redisMissing)
    {
        var missing = string.Join(" and ", new[] { rabbitMissing ? "rabbitmq-server" : null, redisMissing ? "redis-server" : null }.OfType<string>());
        return $"StarGuide Edge needs RabbitMQ and Redis. No container runtime answers ({runtime}), and {missing} "
            + "cannot be found on this machine. Install them and run again:\n"
            + "  Debian/Ubuntu: sudo apt-get install -y rabbitmq-server redis-server\n"
            + "  macOS:         brew install rabbitmq redis\n"
            + "or start Docker (or Podman) so that they run as containers.";
    }

    /// <summary>Returns "" when a container runtime answers, else why not.</summary>
    private static string ProbeContainerRuntime()
    {
        var runtime = Environment.GetEnvironmentVariable("ASPIRE_CONTAINER_RUNTIME") ?? "docker";
        try
        {
            using var process = Process.Start(new ProcessStartInfo(runtime, "info --format {{.ServerVersion}}")
            {
                RedirectStandardOutput = true,
                RedirectStandardError = true,
            });
            if (process is null)
            {
                return $"{runtime} could not be started";
            }
            _ = process.StandardOutput.ReadToEndAsync();
            var error = process.StandardError.ReadToEndAsync();
            if (!process.WaitForExit(TimeSpan.FromSeconds(10)))
            {
                process.Kill(entireProcessTree: true);
                return $"'{runtime} info' did not answer within 10 s";
            }
            return process.ExitCode == 0 ? "" : $"'{runtime} info' failed: {error.Result.Trim().Split('\n')[0]}";
        }
        catch (System.ComponentModel.Win32Exception)
        {
            return $"{runtime} is not installed";
        }
    }

    private static string? FindOnPath(string executable) =>
        (Environment.GetEnvironmentVariable("PATH") ?? "")
            .Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries)
            .Select(dir => Path.Combine(dir, executable))
            .FirstOrDefault(File.Exists);

    /// <summary>
    /// Removes this run's server data after a clean stop (retrying briefly while the last server process exits); what
    /// stays (a crashed AppHost's) is removed by the next run.
    /// </summary>
    public void RemoveData()
    {
        if (!Directory.Exists(DataDirectory))
        {
            return;
        }
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                Directory.Delete(DataDirectory, recursive: true);
                return;
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
            {
                if (attempt == 10)
                {
                    Console.Error.WriteLine($"Could not remove {DataDirectory} ({ex.Message}); the next run removes it.");
                    return;
                }
                Thread.Sleep(500);
            }
        }
    }

    /// <summary>Each run keeps its servers' data in run-PID; a folder whose process has ended is left-over.</summary>
    private static void RemoveDataOfEndedRuns(string dataRoot)
    {
        if (!Directory.Exists(dataRoot))
        {
            return;
        }
        foreach (var dir in Directory.GetDirectories(dataRoot, "run-*"))
        {
            if (int.TryParse(Path.GetFileName(dir)["run-".Length..], out var pid) && !IsRunning(pid))
            {
                try
                {
                    Directory.Delete(dir, recursive: true);
                }
                catch (IOException)
                {
                    // Still in use by a server that outlived its AppHost; try again next run.
                }
            }
        }
    }

    private static bool IsRunning(int pid)
    {
        try
        {
            using var process = Process.GetProcessById(pid);
            return !process.HasExited;
        }
        catch (ArgumentException)
        {
            return false;
        }
    }
}
