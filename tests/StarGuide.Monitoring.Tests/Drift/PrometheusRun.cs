using System.Globalization;
using System.Net.Http.Json;
using System.Text.Json;
using StarGuide.Monitoring.Tests.Support;
using StarGuide.Testing;
using YamlDotNet.RepresentationModel;

namespace StarGuide.Monitoring.Tests.Drift;

/// <summary>
/// A real Prometheus (Debian's) scraping the test's services every second with the repository's own
/// deploy/prometheus/prometheus.yml, jobs and rules as they are, only the targets replaced by the test's addresses: what
/// it stores is what the rules and the dashboard will see, relabelling and label clashes included.
/// </summary>
internal sealed class PrometheusRun : IAsyncDisposable
{
    private readonly ServiceRun _process;
    private readonly TempDirectory _directory;

    private PrometheusRun(ServiceRun process, TempDirectory directory, HttpClient client)
    {
        _process = process;
        _directory = directory;
        Client = client;
    }

    public HttpClient Client { get; }

    public string Tail() => _process.Tail();

    /// <summary>Starts Prometheus; every job of the deploy configuration must have a target in <paramref name="targets"/>.</summary>
    public static async Task<PrometheusRun> StartAsync(IReadOnlyDictionary<string, string> targets)
    {
        var directory = TempDirectory.Create("prometheus");
        var config = Path.Combine(directory.Path, "prometheus.yml");
        var readToken = Path.Combine(directory.Path, "management-read-token");
        await File.WriteAllTextAsync(readToken, TestManagement.ReadToken);
        await File.WriteAllTextAsync(config, Configuration(targets, readToken));
        var port = FreePort.Next();
        var process = ServiceRun.Start("prometheus", Promtool.Prometheus!,
            [$"--config.file={config}", $"--storage.tsdb.path={Path.Combine(directory.Path, "data")}",
             $"--web.listen-address=127.0.0.1:{port}", "--log.level=warn"],
            directory.Path, new Dictionary<string, string>());
        var client = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}"), Timeout = TimeSpan.FromSeconds(10) };
        var run = new PrometheusRun(process, directory, client);
        try
        {
            await Eventually.TrueAsync(async () =>
            {
                try
                {
                    return (await client.GetAsync("/-/ready")).IsSuccessStatusCode;
                }
                catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException)
                {
                    return false;
                }
            }, TimeSpan.FromSeconds(30), () => "Prometheus never became ready\n" + process.Tail());
        }
        catch
        {
            await run.DisposeAsync();
            throw;
        }
        return run;
    }

    /// <summary>
    /// The deploy configuration with static targets, a 1 s scrape and evaluation interval, no Alertmanager, and the
    /// jobs' management token read from <paramref name="readTokenFile"/> in place of the deployment's secret.
    /// </summary>
    internal static string Configuration(IReadOnlyDictionary<string, string> targets, string readTokenFile)
    {
        var root = (YamlMappingNode)Yaml.Load(Path.Combine(Repository.PrometheusDirectory, "prometheus.yml"));
        var global = (YamlMappingNode)root.Children["global"];
        global.Children["scrape_interval"] = new YamlScalarNode("1s");
        global.Children["evaluation_interval"] = new YamlScalarNode("1s");
        root.Children.Remove("alerting");
        root.Children["rule_files"] = new YamlSequenceNode(new YamlScalarNode(Path.Combine(Repository.PrometheusDirectory, "rules", "*.yml")));
        foreach (var job in Yaml.Sequence(root, "scrape_configs").Cast<YamlMappingNode>())
        {
            var name = Yaml.Scalar(job, "job_name")!;
            if (!targets.TryGetValue(name, out var target))
            {
                throw new InvalidOperationException($"prometheus.yml has a job '{name}' that the no-drift test does not start: give it a target.");
            }
            foreach (var key in job.Children.Keys.OfType<YamlScalarNode>().Where(k => k.Value!.EndsWith("_sd_configs", StringComparison.Ordinal) || k.Value == "relabel_configs").ToList())
            {
                job.Children.Remove(key);
            }
            job.Children["scrape_interval"] = new YamlScalarNode("1s");
            if (job.Children.TryGetValue("authorization", out var authorization))
            {
                ((YamlMappingNode)authorization).Children["credentials_file"] = new YamlScalarNode(readTokenFile);
            }
            job.Children["static_configs"] = new YamlSequenceNode(new YamlMappingNode(
                "targets", new YamlSequenceNode(new YamlScalarNode(target))));
        }
        using var writer = new StringWriter(CultureInfo.InvariantCulture);
        new YamlStream(new YamlDocument(root)).Save(writer, assignAnchors: false);
        return writer.ToString();
    }

    public async Task<JsonElement> GetAsync(string path)
    {
        using var json = JsonDocument.Parse(await Client.GetStringAsync(path));
        var root = json.RootElement;
        if (root.GetProperty("status").GetString() != "success")
        {
            throw new InvalidOperationException($"{path}: {root}");
        }
        return root.GetProperty("data").Clone();
    }

    /// <summary>The label names of every series stored under <paramref name="metric"/> (empty: no such series).</summary>
    public async Task<IReadOnlySet<string>?> LabelNamesAsync(string metric)
    {
        var series = await GetAsync("/api/v1/series?match[]=" + Uri.EscapeDataString($"{{__name__=\"{metric}\"}}"));
        if (series.GetArrayLength() == 0)
        {
            return null;
        }
        return series.EnumerateArray().SelectMany(s => s.EnumerateObject().Select(p => p.Name)).ToHashSet(StringComparer.Ordinal);
    }

    /// <summary>Rules whose last evaluation failed, with Prometheus' error.</summary>
    public async Task<IReadOnlyList<string>> UnhealthyRulesAsync()
    {
        var data = await GetAsync("/api/v1/rules");
        return [.. data.GetProperty("groups").EnumerateArray().SelectMany(g => g.GetProperty("rules").EnumerateArray())
            .Where(r => r.GetProperty("health").GetString() != "ok")
            .Select(r => $"{r.GetProperty("name").GetString()}: {(r.TryGetProperty("lastError", out var e) ? e.GetString() : "not evaluated")}")];
    }

    /// <summary>Evaluates <paramref name="expr"/> now; throws with Prometheus' message when it does not parse.</summary>
    public async Task<string?> QueryErrorAsync(string expr)
    {
        using var response = await Client.PostAsync("/api/v1/query", new FormUrlEncodedContent([new("query", expr)]));
        var body = await response.Content.ReadFromJsonAsync<JsonElement>();
        return body.GetProperty("status").GetString() == "success" ? null : body.GetProperty("error").GetString();
    }

    public async ValueTask DisposeAsync()
    {
        Client.Dispose();
        await _process.DisposeAsync();
        _directory.Dispose();
    }
}
