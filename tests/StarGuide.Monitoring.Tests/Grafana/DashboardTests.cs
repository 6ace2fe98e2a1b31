using System.Text.Json;
using StarGuide.Monitoring.Tests.Drift;
using StarGuide.Monitoring.Tests.Support;
using YamlDotNet.RepresentationModel;

namespace StarGuide.Monitoring.Tests.Grafana;

/// <summary>
/// The dashboards as Grafana would load them (Grafana itself is not packaged for Debian bookworm, so it cannot run
/// here): well-formed, every panel on the provisioned data source with at least one query, ids unique. Whether their
/// queries read metrics that exist is the no-drift test's job.
/// </summary>
public sealed class DashboardTests
{
    [Fact]
    public void Every_dashboard_panel_has_the_provisioned_datasource_a_query_and_a_unique_id()
    {
        var datasourceUid = ProvisionedDatasourceUid();
        var problems = new List<string>();
        Assert.NotEmpty(Repository.Dashboards);
        foreach (var file in Repository.Dashboards)
        {
            using var json = JsonDocument.Parse(File.ReadAllText(file));
            var dashboard = json.RootElement;
            var name = Path.GetFileName(file);
            if (!dashboard.TryGetProperty("uid", out var uid) || string.IsNullOrWhiteSpace(uid.GetString()))
            {
                problems.Add($"{name}: no uid (provisioning needs a stable one)");
            }
            var ids = new HashSet<int>();
            foreach (var panel in Panels(dashboard))
            {
                var id = panel.GetProperty("id").GetInt32();
                var title = panel.TryGetProperty("title", out var t) ? t.GetString() : "?";
                if (!ids.Add(id))
                {
                    problems.Add($"{name}: panel id {id} ('{title}') is used twice");
                }
                if (!panel.TryGetProperty("gridPos", out _))
                {
                    problems.Add($"{name}: panel '{title}' has no gridPos");
                }
                if (panel.GetProperty("type").GetString() == "row")
                {
                    continue;
                }
                if (!panel.TryGetProperty("datasource", out var ds) || ds.GetProperty("uid").GetString() != datasourceUid)
                {
                    problems.Add($"{name}: panel '{title}' is not on the provisioned data source '{datasourceUid}'");
                }
                if (!panel.TryGetProperty("targets", out var targets) || targets.GetArrayLength() == 0)
                {
                    problems.Add($"{name}: panel '{title}' has no query");
                    continue;
                }
                var refIds = new HashSet<string>();
                foreach (var target in targets.EnumerateArray())
                {
                    if (!target.TryGetProperty("expr", out var expr) || string.IsNullOrWhiteSpace(expr.GetString()))
                    {
                        problems.Add($"{name}: panel '{title}' has a target without expr");
                    }
                    if (!refIds.Add(target.GetProperty("refId").GetString()!))
                    {
                        problems.Add($"{name}: panel '{title}' repeats a refId");
                    }
                }
            }
        }

        Assert.Empty(problems);
    }

    [Fact]
    public void Dashboard_provider_path_is_where_the_dashboards_are_mounted()
    {
        var provider = Yaml.Sequence(Yaml.Load(Repository.Path("deploy", "grafana", "provisioning", "dashboards", "starguide.yml")), "providers").Single();

        Assert.Equal("file", Yaml.Scalar(provider, "type"));
        Assert.Equal("/var/lib/grafana/dashboards", Yaml.Scalar(((YamlMappingNode)provider).Children["options"], "path"));
    }

    /// <summary>Every query of every dashboard, with the legend it draws, for the no-drift test.</summary>
    internal static IEnumerable<(string Where, string Expr, string Legend)> Queries()
    {
        foreach (var file in Repository.Dashboards)
        {
            using var json = JsonDocument.Parse(File.ReadAllText(file));
            foreach (var panel in Panels(json.RootElement).Where(p => p.TryGetProperty("targets", out _)))
            {
                foreach (var target in panel.GetProperty("targets").EnumerateArray())
                {
                    yield return ($"{Path.GetFileName(file)} '{panel.GetProperty("title").GetString()}'",
                        target.GetProperty("expr").GetString()!,
                        target.TryGetProperty("legendFormat", out var legend) ? legend.GetString() ?? "" : "");
                }
            }
        }
    }

    private static IEnumerable<JsonElement> Panels(JsonElement dashboard)
    {
        foreach (var panel in dashboard.GetProperty("panels").EnumerateArray())
        {
            yield return panel.Clone();
            if (panel.TryGetProperty("panels", out var nested))
            {
                foreach (var inner in nested.EnumerateArray())
                {
                    yield return inner.Clone();
                }
            }
        }
    }

    private static string ProvisionedDatasourceUid()
    {
        var root = Yaml.Load(Repository.Path("deploy", "grafana", "provisioning", "datasources", "prometheus.yml"));
        var source = Yaml.Sequence(root, "datasources").Single();
        Assert.Equal("prometheus", Yaml.Scalar(source, "type"));
        return Yaml.Scalar(source, "uid")!;
    }
}
