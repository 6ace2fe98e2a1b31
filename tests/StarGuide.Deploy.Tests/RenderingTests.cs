using System.Diagnostics;
using System.Text.Json;
using System.Text.RegularExpressions;
using System.Text.Json.Nodes;
using k8s;
using k8s.Models;
using StarGuide.Deploy.Tests.Manifests;
using StarGuide.Testing;

namespace StarGuide.Deploy.Tests;

/// <summary>
/// The tests read the overlays through <see cref="Kustomize.KustomizeRenderer"/>; where a kubectl with kustomize is
/// installed, this shows that its render is the one <c>kubectl apply -k</c> would send, object for object.
/// </summary>
public sealed partial class RenderingTests
{
    [SkippableTheory]
    [MemberData(nameof(Overlays.All), MemberType = typeof(Overlays))]
    public async Task The_renderer_agrees_with_kubectl_kustomize(string overlay)
    {
        var version = await RunKubectlAsync("version", "--client");
        Need.Kubectl.Check(version is not null, "no kubectl on PATH: the overlays were rendered by the tests' own renderer only");
        // kubectl 1.20 (Debian 12's) embeds kustomize 2.0, which lacks fields the overlays use; 1.21+ prints its version.
        var kustomize = KustomizeVersion().Match(version!.Value.Output);
        Need.Kubectl.Check(kustomize.Success && int.Parse(kustomize.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture) >= 4,
            $"kubectl's kustomize is older than v4 ({version.Value.Output.Trim()}): the overlays were rendered by the tests' own renderer only");

        var kubectl = await RunKubectlAsync("kustomize", Repository.Overlay(overlay));
        Assert.True(kubectl!.Value.ExitCode == 0, $"kubectl kustomize {overlay} failed: {kubectl.Value.Output}");

        var theirs = Index(KubernetesYaml.LoadAllFromString(kubectl.Value.Output, strict: true).Cast<IKubernetesObject>());
        var ours = Index(Overlays.Render(overlay));

        Assert.Equal(theirs.Keys.Order(), ours.Keys.Order());
        Assert.All(theirs, pair => Assert.Equal(pair.Value, ours[pair.Key]));
    }

    private static Dictionary<string, string> Index(IEnumerable<IKubernetesObject> objects) =>
        objects.Cast<IKubernetesObject<V1ObjectMeta>>()
            .ToDictionary(o => $"{o.Kind}/{o.Metadata.NamespaceProperty}/{o.Metadata.Name}", o => Canonical(JsonNode.Parse(KubernetesJson.Serialize(o))));

    /// <summary>JSON with every object's keys in order: kubectl writes maps sorted, the renderer in file order.</summary>
    private static string Canonical(JsonNode? node) => node switch
    {
        JsonObject o => "{" + string.Join(",", o.OrderBy(p => p.Key, StringComparer.Ordinal).Select(p => JsonSerializer.Serialize(p.Key) + ":" + Canonical(p.Value))) + "}",
        JsonArray a => "[" + string.Join(",", a.Select(Canonical)) + "]",
        null => "null",
        _ => node.ToJsonString(),
    };

    private static async Task<(int ExitCode, string Output)?> RunKubectlAsync(params string[] args)
    {
        var start = new ProcessStartInfo("kubectl") { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var arg in args)
        {
            start.ArgumentList.Add(arg);
        }
        Process process;
        try
        {
            process = Process.Start(start)!;
        }
        catch (System.ComponentModel.Win32Exception)
        {
            return null;
        }
        using (process)
        {
            var output = process.StandardOutput.ReadToEndAsync();
            var error = process.StandardError.ReadToEndAsync();
            // Generous: on a loaded 2-core machine a kustomize render was seen to take 20 s.
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(90));
            await process.WaitForExitAsync(timeout.Token);
            return (process.ExitCode, process.ExitCode == 0 ? await output : await error);
        }
    }

    [GeneratedRegex(@"Kustomize Version: v(\d+)")]
    private static partial Regex KustomizeVersion();
}
