using System.Diagnostics;

namespace StarGuide.Testing;

/// <summary>
/// Runs one of the repository's built services as a real process, as an operator would start it, and captures what
/// it prints. For start-up behaviour (a bad setting must stop the process with a message naming the key), which an
/// in-process test host reports unreliably when start-up throws.
/// </summary>
public static class ServiceProcess
{
    /// <summary>
    /// Starts <c>dotnet {projectDirectory}/bin/{configuration}/{tfm}/{assemblyName}.dll</c> with <paramref name="args"/>
    /// and waits for it to exit. A process still running after <paramref name="timeout"/> is killed and reported with
    /// a null exit code.
    /// </summary>
    /// <param name="projectDirectory">Relative to the repository root, e.g. <c>src/Gateway</c>.</param>
    /// <param name="environment">Set after the defaults (<c>ASPNETCORE_URLS</c>, <c>DOTNET_ENVIRONMENT</c>), which it may replace.</param>
    public static async Task<ProcessOutcome> RunUntilExitAsync(
        string projectDirectory, string assemblyName, IEnumerable<string> args, TimeSpan timeout,
        IReadOnlyDictionary<string, string>? environment = null)
    {
        var assembly = BuiltAssembly(projectDirectory, assemblyName);
        var start = new ProcessStartInfo("dotnet")
        {
            WorkingDirectory = Path.GetDirectoryName(assembly)!,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        start.ArgumentList.Add(assembly);
        foreach (var arg in args)
        {
            start.ArgumentList.Add(arg);
        }
        start.Environment["ASPNETCORE_URLS"] = "http://127.0.0.1:0";
        start.Environment["DOTNET_ENVIRONMENT"] = "Production";
        foreach (var (key, value) in environment ?? new Dictionary<string, string>())
        {
            start.Environment[key] = value;
        }

        using var process = Process.Start(start) ?? throw new InvalidOperationException($"could not start {assembly}");
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var timer = new CancellationTokenSource(timeout);
        int? exitCode;
        try
        {
            await process.WaitForExitAsync(timer.Token);
            exitCode = process.ExitCode;
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            await process.WaitForExitAsync();
            exitCode = null;
        }
        return new ProcessOutcome(exitCode, await stdout + await stderr) { StandardOutput = await stdout, StandardError = await stderr };
    }

    /// <summary>
    /// The built assembly of a project of this repository, built with the same configuration and framework as the
    /// running test (the test project must reference it so that it is built).
    /// </summary>
    public static string BuiltAssembly(string projectDirectory, string assemblyName)
    {
        // The test runs from tests/<Project>/bin/<configuration>/<tfm>/: the service is built with the same two.
        var testOutput = new DirectoryInfo(AppContext.BaseDirectory);
        var framework = testOutput.Name;
        var configuration = testOutput.Parent!.Name;
        var root = testOutput;
        while (root is not null && !File.Exists(Path.Combine(root.FullName, "StarGuide.sln")))
        {
            root = root.Parent;
        }
        if (root is null)
        {
            throw new InvalidOperationException($"StarGuide.sln not found above {AppContext.BaseDirectory}");
        }
        var assembly = Path.Combine(root.FullName, projectDirectory, "bin", configuration, framework, assemblyName + ".dll");
        return File.Exists(assembly)
            ? assembly
            : throw new InvalidOperationException($"{assembly} is not built: reference {projectDirectory} from the test project.");
    }
}

/// <summary>How a process ended: its exit code (null when it had to be killed) and everything it printed.</summary>
public sealed record ProcessOutcome(int? ExitCode, string Output)
{
    /// <summary>What it printed on standard output alone.</summary>
    public string StandardOutput { get; init; } = "";

    /// <summary>What it printed on standard error alone.</summary>
    public string StandardError { get; init; } = "";
}
