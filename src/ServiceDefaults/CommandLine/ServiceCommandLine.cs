using System.Reflection;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace StarGuide.ServiceDefaults.CommandLine;

/// <summary>
/// How every StarGuide Edge service meets its command line: <c>--help</c>, <c>-h</c> or <c>help</c> prints the
/// service's usage and exits 0; an argument that is not a setting, or a setting that stops the service at start, prints
/// one line naming the cause on standard error and exits <see cref="UsageExitCode"/>, instead of an unhandled-exception
/// stack trace. Everything else runs the service as before.
/// </summary>
public static class ServiceCommandLine
{
    /// <summary>Exit code for a usage or configuration error (as for the backup service's verbs).</summary>
    public const int UsageExitCode = 2;

    private static readonly string[] HelpArguments = ["--help", "-h", "-?", "/?", "help"];

    /// <summary>
    /// Builds the service with <paramref name="build"/> (which returns the built, mapped application), checks every
    /// option validated at start, then runs it. Returns the process's exit code.
    /// </summary>
    /// <param name="usage">What <c>--help</c> prints: what the service is, its main settings, where they are documented.</param>
    public static async Task<int> RunOrExplainAsync(string[] args, string usage, Func<WebApplication> build)
    {
        ArgumentNullException.ThrowIfNull(args);
        ArgumentNullException.ThrowIfNull(build);
        if (build.Method.DeclaringType?.Assembly != Assembly.GetEntryAssembly())
        {
            // Run by a test host (WebApplicationFactory calls the entry point and watches the host it builds): the
            // service as before, its errors thrown to the test, not explained to an operator.
            await build().RunAsync();
            return 0;
        }
        if (IsHelp(args))
        {
            await Console.Out.WriteAsync(usage);
            return 0;
        }
        if (StrayArgument(args) is { } stray)
        {
            await Console.Error.WriteLineAsync(
                $"error: unexpected argument '{stray}': settings are given as --Section:Key=value (--help lists the main ones).");
            return UsageExitCode;
        }

        WebApplication app;
        try
        {
            app = build();
            // Checked here rather than by the host's start, which would first log the failure with a stack trace.
            app.Services.GetService<IStartupValidator>()?.Validate();
        }
        catch (Exception ex) when (ConfigurationError.Describe(ex) is { } cause)
        {
            await Console.Error.WriteLineAsync($"error: {cause} (--help lists the main settings)");
            return UsageExitCode;
        }

        await app.RunAsync(); // disposes the application when it stops
        return 0;
    }

    /// <summary>Whether the arguments ask for the usage: <c>help</c> first, or <c>--help</c>/<c>-h</c> anywhere.</summary>
    public static bool IsHelp(IReadOnlyList<string> args) =>
        (args.Count > 0 && args[0] == "help")
        || args.Any(a => a != "help" && HelpArguments.Contains(a, StringComparer.Ordinal));

    /// <summary>
    /// The first argument that the command-line configuration provider would silently ignore (a word that is neither
    /// <c>--key=value</c>, <c>key=value</c> nor the value after a <c>--key</c>), e.g. a mistyped verb; null if none.
    /// </summary>
    public static string? StrayArgument(IReadOnlyList<string> args)
    {
        for (var i = 0; i < args.Count; i++)
        {
            var arg = args[i];
            if (arg.Contains('=', StringComparison.Ordinal))
            {
                continue;
            }
            if (arg.StartsWith('-') || arg.StartsWith('/'))
            {
                i++; // --key value: the next argument is its value
                continue;
            }
            return arg;
        }
        return null;
    }
}
