using StarGuide.Monitoring.Tests.Support;
using StarGuide.Testing;
using YamlDotNet.RepresentationModel;

namespace StarGuide.Monitoring.Tests.Rules;

/// <summary>The Prometheus configuration and rules as promtool judges them, and the unit tests of every alert.</summary>
public sealed class PromtoolTests
{
    private const string ManagementTokenFile = "/run/secrets/management-read-token";

    /// <summary>
    /// Every StarGuide service's /metrics needs the read token: its job sends it; the pool instances' job never does
    /// (a compromised instance must not learn it).
    /// </summary>
    [Fact]
    public void The_services_jobs_send_the_read_token_and_the_pool_job_does_not()
    {
        var compose = Yaml.Load(Repository.Path("deploy", "prometheus", "prometheus.yml"));
        var jobs = Yaml.Sequence(compose, "scrape_configs").ToDictionary(j => Yaml.Scalar(j, "job_name")!);

        foreach (var service in new[] { "gateway", "scaler", "health-monitor", "backup-service" })
        {
            var authorization = (YamlMappingNode)((YamlMappingNode)jobs[service]).Children["authorization"];
            Assert.Equal("Bearer", Yaml.Scalar(authorization, "type"));
            Assert.Equal(ManagementTokenFile, Yaml.Scalar(authorization, "credentials_file"));
        }
        Assert.False(((YamlMappingNode)jobs["backend"]).Children.ContainsKey("authorization"));
    }

    [SkippableFact]
    public async Task Scrape_config_and_the_rules_it_loads_pass_promtool_check_config()
    {
        Need.Prometheus.Check(Promtool.Executable is not null, Promtool.MissingReason);

        // promtool reads the scrape jobs' token file: the compose secret's path, here a file of the test's own.
        using var directory = TempDirectory.Create("promtool");
        var token = Path.Combine(directory.Path, "management-read-token");
        await File.WriteAllTextAsync(token, TestManagement.ReadToken);
        var config = Path.Combine(directory.Path, "prometheus.yml");
        await File.WriteAllTextAsync(config, (await File.ReadAllTextAsync(Path.Combine(Repository.PrometheusDirectory, "prometheus.yml")))
            .Replace(ManagementTokenFile, token, StringComparison.Ordinal)
            .Replace("  - rules/*.yml", $"  - {Path.Combine(Repository.PrometheusDirectory, "rules", "*.yml")}", StringComparison.Ordinal));

        var (exit, output) = await Promtool.RunAsync("check", "config", config);

        Assert.True(exit == 0, output);
        Assert.Contains($"SUCCESS: {Repository.RuleFiles.Count} rule files found", output, StringComparison.Ordinal);
    }

    [SkippableFact]
    public async Task Rule_files_pass_promtool_check_rules_including_its_lint()
    {
        Need.Prometheus.Check(Promtool.Executable is not null, Promtool.MissingReason);

        var (exit, output) = await Promtool.RunAsync(["check", "rules", .. Repository.RuleFiles]);

        Assert.True(exit == 0, output);
    }

    [SkippableFact]
    public async Task Every_rule_unit_test_passes_promtool_test_rules()
    {
        Need.Prometheus.Check(Promtool.Executable is not null, Promtool.MissingReason);

        var (exit, output) = await Promtool.RunAsync(["test", "rules", .. Repository.RuleTestFiles]);

        Assert.True(exit == 0, output);
        Assert.DoesNotContain("FAILED", output, StringComparison.Ordinal);
    }

    [Fact]
    public void Every_alert_has_a_unit_test_where_it_fires_and_one_where_it_stays_quiet()
    {
        var alerts = Rule.ReadAll().Where(r => r.Alert is not null).Select(r => r.Alert!).ToHashSet(StringComparer.Ordinal);
        var fires = new HashSet<string>(StringComparer.Ordinal);
        var quiet = new HashSet<string>(StringComparer.Ordinal);
        foreach (var file in Repository.RuleTestFiles)
        {
            foreach (var test in Yaml.Sequence(Yaml.Load(file), "tests"))
            {
                foreach (var check in Yaml.Sequence(test, "alert_rule_test"))
                {
                    var name = Yaml.Scalar(check, "alertname")!;
                    (Yaml.Sequence(check, "exp_alerts").Any() ? fires : quiet).Add(name);
                }
            }
        }

        Assert.Empty(alerts.Except(fires).Select(a => $"{a}: no test where it fires"));
        Assert.Empty(alerts.Except(quiet).Select(a => $"{a}: no test where it stays quiet"));
        Assert.Empty(fires.Union(quiet).Except(alerts).Select(a => $"{a}: tested but no rule defines it"));
    }

    [Fact]
    public void Every_alert_has_a_severity_summary_and_description()
    {
        var problems = new List<string>();
        foreach (var file in Repository.RuleFiles)
        {
            var root = Yaml.Load(file);
            foreach (var rule in Yaml.Sequence(root, "groups").SelectMany(g => Yaml.Sequence(g, "rules")))
            {
                if (Yaml.Scalar(rule, "alert") is not { } alert)
                {
                    continue;
                }
                var labels = (YamlMappingNode)rule;
                if (!labels.Children.TryGetValue("labels", out var l) || Yaml.Scalar(l, "severity") is not ("critical" or "warning"))
                {
                    problems.Add($"{alert}: severity must be critical or warning");
                }
                if (!labels.Children.TryGetValue("annotations", out var a) || Yaml.Scalar(a, "summary") is null || Yaml.Scalar(a, "description") is null)
                {
                    problems.Add($"{alert}: needs a summary and a description");
                }
            }
        }

        Assert.Empty(problems);
    }

    /// <summary>
    /// Debian's Prometheus is built without Kubernetes discovery, so promtool cannot check this file here: at least it
    /// loads the same rules and gives its targets the job names the rules use.
    /// </summary>
    [Fact]
    public void Kubernetes_config_loads_the_same_rules_and_names_jobs_as_the_rules_expect()
    {
        var root = Yaml.Load(Repository.Path("deploy", "prometheus", "prometheus-kubernetes.yml"));
        var compose = Yaml.Load(Repository.Path("deploy", "prometheus", "prometheus.yml"));

        Assert.Equal(Yaml.Sequence(compose, "rule_files").Select(n => n.ToString()), Yaml.Sequence(root, "rule_files").Select(n => n.ToString()));
        var jobs = Yaml.Sequence(root, "scrape_configs").ToDictionary(j => Yaml.Scalar(j, "job_name")!);
        Assert.Equal(["kubernetes-pods", "starguide-services"], jobs.Keys.Order());
        foreach (var job in jobs.Values)
        {
            Assert.Single(Yaml.Sequence(job, "kubernetes_sd_configs"));
            Assert.Contains(Yaml.Sequence(job, "relabel_configs"), r => Yaml.Scalar(r, "target_label") == "job");
        }
        // The token goes to StarGuide's own pods only; the pools' pods are scraped without it.
        Assert.True(((YamlMappingNode)jobs["starguide-services"]).Children.ContainsKey("authorization"));
        Assert.False(((YamlMappingNode)jobs["kubernetes-pods"]).Children.ContainsKey("authorization"));
        Assert.Contains(Yaml.Sequence(jobs["starguide-services"], "relabel_configs"), r => Yaml.Scalar(r, "action") == "keep"
            && Yaml.Scalar(r, "regex") == "management");
        Assert.Contains(Yaml.Sequence(jobs["kubernetes-pods"], "relabel_configs"), r => Yaml.Scalar(r, "action") == "drop"
            && Yaml.Scalar(r, "regex") == "management");
    }
}
