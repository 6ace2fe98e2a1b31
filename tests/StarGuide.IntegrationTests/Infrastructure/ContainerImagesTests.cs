using System.Diagnostics;
using StarGuide.AppHost.Infrastructure;
using StarGuide.Testing;

namespace StarGuide.IntegrationTests.Infrastructure;

/// <summary>
/// The AppHost's image check against a real Docker engine that cannot pull (no registry answers here): an image on the
/// machine is used, a missing one is replaced by the project's own, and with neither the reason names the image and
/// the pull's error. Skipped when no engine answers (failed where the run requires one: <see cref="Need.Docker"/>).
/// </summary>
public sealed class ContainerImagesTests : IDisposable
{
    private readonly string _own = $"starguide-test/own-{Guid.NewGuid():N}:local";

    public void Dispose() => Docker("rmi", "-f", _own);

    [SkippableFact]
    public void An_image_on_the_machine_is_used_a_missing_one_is_replaced_by_the_projects_own()
    {
        RequireEngine();
        // An empty image, made here: nothing can be pulled.
        var import = Docker(["import", "-", _own], EmptyTar());
        Assert.True(import.ExitCode == 0, $"docker import failed: {import.Output}");

        Assert.Equal(ContainerImages.ImageSource.Present, ContainerImages.Provide("docker", _own, own: null, TimeSpan.FromSeconds(30), out _));
        Assert.Equal(ContainerImages.ImageSource.Own,
            ContainerImages.Provide("docker", "starguide-test/missing:1", _own, TimeSpan.FromSeconds(30), out _));
    }

    [SkippableFact]
    public void An_image_that_is_nowhere_gives_a_reason_naming_it_and_the_pull_error()
    {
        RequireEngine();

        var source = ContainerImages.Provide("docker", "starguide-test/missing:1", "starguide-test/also-missing:1", TimeSpan.FromSeconds(60), out var reason);

        Assert.Null(source);
        const string Expected = "starguide-test/missing:1 is not on this machine, nor is the project's own starguide-test/also-missing:1, "
            + "and 'docker pull starguide-test/missing:1' failed: ";
        Assert.StartsWith(Expected, reason);
        Assert.False(string.IsNullOrWhiteSpace(reason[Expected.Length..]), "the pull's own error is missing");
    }

    private static void RequireEngine()
    {
        var info = Docker("info", "--format", "{{.ServerVersion}}");
        Need.Docker.Check(info.ExitCode == 0, $"no Docker engine answers ({info.Output.Trim()})");
    }

    private static byte[] EmptyTar() => new byte[1024]; // two zero blocks: an archive with no entries

    private static (int ExitCode, string Output) Docker(params string[] arguments) => Docker(arguments, input: null);

    private static (int ExitCode, string Output) Docker(string[] arguments, byte[]? input)
    {
        var start = new ProcessStartInfo("docker") { RedirectStandardOutput = true, RedirectStandardError = true, RedirectStandardInput = input is not null };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }
        try
        {
            using var process = Process.Start(start)!;
            if (input is not null)
            {
                process.StandardInput.BaseStream.Write(input);
                process.StandardInput.Close();
            }
            var output = process.StandardOutput.ReadToEndAsync();
            var error = process.StandardError.ReadToEndAsync();
            if (!process.WaitForExit(TimeSpan.FromSeconds(60)))
            {
                process.Kill(entireProcessTree: true);
                return (-1, "docker did not answer within 60 s");
            }
            return (process.ExitCode, output.Result + error.Result);
        }
        catch (System.ComponentModel.Win32Exception e)
        {
            return (-1, $"docker is not installed ({e.Message})");
        }
    }
}
