using System.Diagnostics;
using System.Text.RegularExpressions;
using StarGuide.Deploy.Tests.Manifests;
using YamlDotNet.Serialization;

namespace StarGuide.Deploy.Tests.Compose;

/// <summary>
/// Two stacks on one engine: each stack's Prometheus finds only its own pool instances (the containers its scaler
/// labels <c>starguide.stack</c>), not the other stack's, which are on a network it cannot reach.
/// </summary>
public class PrometheusDiscoveryTests
{
    private const string Stack = "sgtwo";

    [Fact]
    public async Task Prometheus_discovers_only_the_pool_containers_of_its_own_stack()
    {
        var prometheus = ComposeFile.Services["prometheus"];
        var scaler = ComposeFile.Environment(ComposeFile.Services["scaler"]);
        // The scaler labels every docker pool's containers with the stack's name; Prometheus is given the same name.
        var labels = scaler.Where(e => e.Key.StartsWith("Scaler__Pools__", StringComparison.Ordinal) && e.Key.EndsWith("__Driver", StringComparison.Ordinal) && e.Value == "docker")
            .Select(e => scaler.GetValueOrDefault(e.Key[..^"__Driver".Length] + "__Docker__Labels__starguide.stack")).ToList();
        Assert.NotEmpty(labels);
        Assert.All(labels, label => Assert.Equal(ComposeFile.Environment(prometheus)["STARGUIDE_STACK"], label));

        var rendered = await RenderAsync(prometheus, Stack);

        var jobs = ((List<object>)rendered["scrape_configs"]).Cast<Dictionary<object, object>>()
            .Where(job => job.ContainsKey("docker_sd_configs")).ToList();
        Assert.NotEmpty(jobs);
        foreach (var job in jobs)
        {
            foreach (var sd in ((List<object>)job["docker_sd_configs"]).Cast<Dictionary<object, object>>())
            {
                var values = ((List<object>)sd["filters"]).Cast<Dictionary<object, object>>()
                    .Where(f => (string)f["name"] == "label")
                    .SelectMany(f => ((List<object>)f["values"]).Cast<string>());
                Assert.Contains($"starguide.stack={Stack}", values);
            }
        }
    }

    /// <summary>
    /// Runs the compose entrypoint of Prometheus with its paths moved into a scratch folder and Prometheus itself left
    /// out, and returns the configuration it would start with. Also checks that it starts Prometheus on that copy, with
    /// the rules beside it.
    /// </summary>
    private static async Task<Dictionary<object, object>> RenderAsync(Dictionary<object, object> prometheus, string stack)
    {
        var entrypoint = ComposeFile.List(prometheus, "entrypoint").ToList();
        Assert.Equal(["/bin/sh", "-c"], entrypoint[..2]);
        var script = entrypoint[2].Replace("$$", "$", StringComparison.Ordinal); // compose's escape of a literal $
        const string Start = "exec /usr/bin/prometheus --config.file=/tmp/prometheus/prometheus.yml";
        Assert.Contains(Start, script, StringComparison.Ordinal);

        var scratch = Directory.CreateTempSubdirectory("prometheus-entrypoint-");
        try
        {
            var etc = Directory.CreateDirectory(Path.Combine(scratch.FullName, "etc")).FullName;
            var prometheusDirectory = Path.Combine(Repository.Root, "deploy", "prometheus");
            File.Copy(Path.Combine(prometheusDirectory, "prometheus.yml"), Path.Combine(etc, "prometheus.yml"));
            Directory.CreateDirectory(Path.Combine(etc, "rules"));
            foreach (var rule in Directory.GetFiles(Path.Combine(prometheusDirectory, "rules")))
            {
                File.Copy(rule, Path.Combine(etc, "rules", Path.GetFileName(rule)));
            }
            var run = Path.Combine(scratch.FullName, "run");
            // In one pass: the scratch folder's own path may contain either.
            script = Regex.Replace(script[..script.IndexOf(Start, StringComparison.Ordinal)] + "exit 0",
                "/etc/prometheus|/tmp/prometheus", m => m.Value == "/etc/prometheus" ? etc : run);

            var start = new ProcessStartInfo("/bin/sh") { RedirectStandardError = true };
            start.ArgumentList.Add("-c");
            start.ArgumentList.Add(script);
            start.Environment["STARGUIDE_STACK"] = stack;
            using var shell = Process.Start(start)!;
            var errors = await shell.StandardError.ReadToEndAsync();
            await shell.WaitForExitAsync();
            Assert.True(shell.ExitCode == 0, $"the entrypoint failed: {errors}");

            Assert.Equal(
                Directory.GetFiles(Path.Combine(etc, "rules")).Select(Path.GetFileName).Order(),
                Directory.GetFiles(Path.Combine(run, "rules")).Select(Path.GetFileName).Order());
            return new DeserializerBuilder().Build()
                .Deserialize<Dictionary<object, object>>(await File.ReadAllTextAsync(Path.Combine(run, "prometheus.yml")));
        }
        finally
        {
            scratch.Delete(recursive: true);
        }
    }
}
