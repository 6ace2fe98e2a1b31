using System.Diagnostics;

namespace StarGuide.AppHost.Infrastructure;

/// <summary>
/// Makes sure the RabbitMQ and Redis containers can start before the AppHost runs them: an image missing locally is
/// replaced by the project's own (built by deploy/build-images.sh), else pulled, and when neither works the AppHost
/// stops and says why instead of waiting forever on a container runtime that answers but cannot pull (offline, no
/// registry, a registry outage).
/// </summary>
internal static class ContainerImages
{
    private static readonly TimeSpan PullTimeout = TimeSpan.FromMinutes(3);

    /// <summary>The project's own images, used when Aspire's are not on this machine.</summary>
    private static readonly Dictionary<string, (string Image, string Tag)> Own = new()
    {
        ["rabbitmq"] = ("starguide/rabbitmq", "local"),
        ["redis"] = ("starguide/redis", "local"),
    };

    public static bool TryProvide(IDistributedApplicationBuilder builder, InfrastructurePlan plan, out string problem)
    {
        problem = "";
        if (!plan.UseContainers)
        {
            return true;
        }
        var runtime = Environment.GetEnvironmentVariable("ASPIRE_CONTAINER_RUNTIME") ?? "docker";
        var problems = new List<string>();
        foreach (var resource in builder.Resources.OfType<ContainerResource>())
        {
            if (resource.Annotations.OfType<ContainerImageAnnotation>().LastOrDefault() is not { } image)
            {
                continue;
            }
            var own = Own.TryGetValue(resource.Name, out var o) ? $"{o.Image}:{o.Tag}" : null;
            switch (Provide(runtime, Reference(image), own, PullTimeout, out var reason))
            {
                case ImageSource.Own:
                    image.Registry = null;
                    image.Image = o.Image;
                    image.Tag = o.Tag;
                    break;
                case null:
                    problems.Add($"{resource.Name}: {reason}");
                    break;
            }
        }
        if (problems.Count == 0)
        {
            return true;
        }
        problem = $"A container runtime ({runtime}) answers, but the images cannot be had:\n  "
            + string.Join("\n  ", problems)
            + "\nInstall the local servers instead (Debian/Ubuntu: sudo apt-get install -y rabbitmq-server redis-server), "
            + "which the AppHost prefers, or build the project's own images with deploy/build-images.sh.";
        return false;
    }

    internal enum ImageSource { Present, Own, Pulled }

    /// <summary>Where <paramref name="image"/> comes from on this machine, or null (with why) when from nowhere.</summary>
    internal static ImageSource? Provide(string runtime, string image, string? own, TimeSpan pullTimeout, out string reason)
    {
        reason = "";
        if (Run(runtime, ["image", "inspect", image], TimeSpan.FromSeconds(30)).ExitCode == 0)
        {
            return ImageSource.Present;
        }
        if (own is not null && Run(runtime, ["image", "inspect", own], TimeSpan.FromSeconds(30)).ExitCode == 0)
        {
            Console.WriteLine($"{image} is not on this machine; using the project's own {own}.");
            return ImageSource.Own;
        }
        Console.WriteLine($"Pulling {image} (at most {pullTimeout.TotalSeconds:0} s)…");
        var pull = Run(runtime, ["pull", image], pullTimeout);
        if (pull.ExitCode == 0)
        {
            return ImageSource.Pulled;
        }
        reason = $"{image} is not on this machine"
            + (own is null ? "" : $", nor is the project's own {own},")
            + $" and '{runtime} pull {image}' failed: {pull.Error}";
        return null;
    }

    private static string Reference(ContainerImageAnnotation image) =>
        (string.IsNullOrEmpty(image.Registry) ? "" : image.Registry + "/") + image.Image + (image.Tag is { Length: > 0 } tag ? ":" + tag : "");

    private static (int ExitCode, string Error) Run(string runtime, string[] arguments, TimeSpan timeout)
    {
        var start = new ProcessStartInfo(runtime) { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }
        using var process = Process.Start(start) ?? throw new InvalidOperationException($"{runtime} could not be started");
        _ = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        if (!process.WaitForExit(timeout))
        {
            process.Kill(entireProcessTree: true);
            return (-1, $"no answer within {timeout.TotalSeconds:0} s");
        }
        var lines = error.Result.Trim().Split('\n', StringSplitOptions.RemoveEmptyEntries);
        return (process.ExitCode, lines.Length == 0 ? $"exit code {process.ExitCode}" : lines[^1].Trim());
    }
}
