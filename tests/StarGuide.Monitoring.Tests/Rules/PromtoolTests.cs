using StarGuide.Monitoring.Tests.Support;

namespace StarGuide.Monitoring.Tests.Rules;

/// <summary>The Prometheus configuration and rules as promtool judges them, and the unit tests of every alert.</summary>
public sealed class PromtoolTests
{
    [SkippableFact]
    public async Task Scrape_config_and_the_rules_it_loads_pass_promtool_check_config()
    {
        Skip.If(Promtool.Executable is null, Promtool.MissingReason);

        var (exit, output) = await Promtool.RunAsync("check", "config", "prometheus.yml");

        Assert.True(exit == 0, output);
        Assert.Contains($"SUCCESS: {Repository.RuleFiles.Count} rule files found", output, StringComparison.Ordinal);
    }

    [SkippableFact]
    public async Task Rule_files_pass_promtool_check_rules_including_its_lint()
    {
        Skip.If(Promtool.Executable is null, Promtool.MissingReason);

        var (exit, output) = await Promtool.RunAsync(["check", "rules", .. Repository.RuleFiles]);

        Assert.True(exit == 0, output);
    }

    [SkippableFact]
    public async Task Every_rule_unit_test_passes_promtool_test_rules()
    {
        Skip.If(Promtool.Executable is null, Promtool.MissingReason);

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
                var labels = (YamlDotNet.RepresentationModel.YamlMappingNode)rule;
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
        var job = Assert.Single(Yaml.Sequence(root, "scrape_configs"));
        Assert.Single(Yaml.Sequence(job, "kubernetes_sd_configs"));
        Assert.Contains(Yaml.Sequence(job, "relabel_configs"), r => Yaml.Scalar(r, "target_label") == "job");
    }
}
