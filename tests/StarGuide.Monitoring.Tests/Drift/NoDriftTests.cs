using System.Diagnostics;
using MassTransit;
using StarGuide.Contracts;
using StarGuide.Monitoring.Tests.Grafana;
using StarGuide.Monitoring.Tests.Support;
using StarGuide.ServiceDefaults;
using StarGuide.Testing;
using Xunit.Abstractions;

namespace StarGuide.Monitoring.Tests.Drift;

/// <summary>
/// No drift between what the services export and what deploy/ reads: the real services after a little traffic, scraped
/// by a real Prometheus with the repository's scrape configuration and rules; every metric and label that a rule, a
/// recording rule, an alert template or a dashboard query names must be there.
/// </summary>
public sealed class NoDriftTests(InfrastructureFixture infrastructure, ITestOutputHelper output) : IClassFixture<InfrastructureFixture>
{
    /// <summary>Prometheus' own series and the labels it adds to every scraped one.</summary>
    private static readonly HashSet<string> PrometheusLabels = ["job", "instance", "__name__"];

    [SkippableFact]
    public async Task Every_metric_and_label_in_the_rules_and_dashboards_is_exported_by_the_running_services_and_dropped_instruments_stay_out()
    {
        Need.Prometheus.Check(Promtool.Prometheus is not null, Promtool.MissingReason);
        await using var system = new MonitoredSystem();
        system.Start(infrastructure);
        var backend = await system.WaitForBackendAsync();
        var targets = new Dictionary<string, string>(system.MetricsTargets) { ["backend"] = backend };
        await using var prometheus = await PrometheusRun.StartAsync(targets);

        await system.SendTrafficAsync();
        await system.RunBackupsAsync();
        await PublishFaultingMessageAsync();
        await PublishRefusedMessageAsync();
        await system.SendTrafficAsync();

        List<string> drift = [];
        try
        {
            await Eventually.TrueAsync(async () =>
            {
                drift = await FindDriftAsync(prometheus);
                return drift.Count == 0;
            }, TimeSpan.FromSeconds(90), () => "");
        }
        catch (Exception ex) when (ex is not SkipException)
        {
            Assert.Fail($"deploy/ reads what the services do not export:\n  {string.Join("\n  ", drift)}\n\n"
                + $"rules Prometheus could not evaluate: {string.Join("; ", await prometheus.UnhealthyRulesAsync())}\n\n{system.Tails()}\n{prometheus.Tail()}");
        }
        await ReportScrapeCostAsync(targets);
        await AssertDroppedInstrumentsStayOutAsync(system);
    }

    /// <summary>The instruments ServiceDefaults' MetricViews leaves out for scrape cost stay out of every service.</summary>
    private static async Task AssertDroppedInstrumentsStayOutAsync(MonitoredSystem system)
    {
        using var client = new HttpClient { Timeout = TimeSpan.FromSeconds(10) }.WithManagementToken(TestManagement.ReadToken);
        foreach (var (job, target) in system.MetricsTargets)
        {
            var text = await client.GetStringAsync($"http://{target}/metrics");
            var present = DroppedPrefixes().Where(prefix => text.Contains("\n" + prefix, StringComparison.Ordinal)).ToList();
            Assert.True(present.Count == 0, $"{job} exports {string.Join(", ", present)}, which ServiceDefaults' MetricViews drops");
            Assert.DoesNotContain("network_protocol_version", Lines(text, "http_server_request_duration_seconds"), StringComparison.Ordinal);
        }
    }

    private static IEnumerable<string> DroppedPrefixes() =>
    [
        "kestrel_connection_duration", "dns_lookup_duration", "http_client_connection_duration",
        "http_client_request_time_in_queue", "http_client_open_connections", "aspnetcore_routing_match_attempts",
        "messaging_masstransit_consume_duration", "messaging_masstransit_delivery_duration",
        "messaging_masstransit_receive_duration", "messaging_masstransit_send_duration",
    ];

    private static string Lines(string text, string prefix) =>
        string.Join('\n', text.Split('\n').Where(l => l.StartsWith(prefix, StringComparison.Ordinal)));

    /// <summary>
    /// A snapshot without its member list makes the gateway's and the health monitor's consumers throw: MassTransit
    /// counts the fault and moves the message to the _error queue, as it would for any consumer bug. From the scaler's
    /// broker user, with a version of now: anything else would be refused before it reached a consumer.
    /// </summary>
    private async Task PublishFaultingMessageAsync()
    {
        await using var scaler = await PublisherBus.StartAsync(infrastructure.RabbitMq, ResourceNames.Scaler);
        await scaler.Publish(new PoolChanged("backend", DateTimeOffset.UtcNow.ToUnixTimeMilliseconds(), null!, DateTimeOffset.UtcNow));
    }

    /// <summary>A snapshot from a broker user nobody trusts for it (the administrator): refused and counted by the gateway and the monitor.</summary>
    private async Task PublishRefusedMessageAsync()
    {
        var bus = Bus.Factory.CreateUsingRabbitMq(rabbit => rabbit.Host(infrastructure.RabbitMq.AmqpUri));
        await bus.StartAsync();
        try
        {
            await bus.Publish(new PoolChanged("backend", 1, [], DateTimeOffset.UtcNow));
        }
        finally
        {
            await bus.StopAsync();
        }
    }

    private static async Task<List<string>> FindDriftAsync(PrometheusRun prometheus)
    {
        var labelsOf = new Dictionary<string, IReadOnlySet<string>?>(StringComparer.Ordinal);
        var problems = new List<string>();
        var uses = Rule.ReadAll().Select(r => (Where: $"{r.File} {r.Name}", r.Expr, Templates: r.Annotations))
            .Concat(DashboardTests.Queries().Select(q => (q.Where, Expr: q.Expr, Templates: q.Legend)));
        foreach (var (where, expr, templates) in uses)
        {
            if (await prometheus.QueryErrorAsync(expr) is { } error)
            {
                problems.Add($"{where}: Prometheus rejects the expression: {error}");
                continue;
            }
            var query = PromQl.Parse(expr);
            var available = new HashSet<string>(query.CreatedLabels.Concat(PrometheusLabels), StringComparer.Ordinal);
            foreach (var selector in query.Selectors)
            {
                if (!labelsOf.TryGetValue(selector.Metric, out var labels))
                {
                    labels = labelsOf[selector.Metric] = await prometheus.LabelNamesAsync(selector.Metric);
                }
                if (labels is null)
                {
                    problems.Add($"{where}: no series {selector.Metric}");
                    continue;
                }
                problems.AddRange(selector.Labels.Where(l => !labels.Contains(l)).Select(l => $"{where}: {selector.Metric} has no label {l}"));
                available.UnionWith(labels);
            }
            problems.AddRange(query.GroupingLabels.Concat(PromQl.TemplateLabels(templates)).Distinct()
                .Where(l => !available.Contains(l))
                .Select(l => $"{where}: no metric of the expression has the label {l}"));
        }
        return problems;
    }

    /// <summary>
    /// What each /metrics weighs and takes to serve, for docs/measurements.md: median of 10 scrapes 350 ms apart (the
    /// exporter answers from a cache for 300 ms after a scrape, which would measure the cache).
    /// </summary>
    private async Task ReportScrapeCostAsync(IReadOnlyDictionary<string, string> targets)
    {
        using var client = new HttpClient { Timeout = TimeSpan.FromSeconds(10) }.WithManagementToken(TestManagement.ReadToken);
        foreach (var (job, target) in targets.Where(t => t.Key != "backend"))
        {
            var times = new List<double>();
            var size = 0;
            for (var i = 0; i < 10; i++)
            {
                await Task.Delay(350);
                var watch = Stopwatch.StartNew();
                size = (await client.GetByteArrayAsync($"http://{target}/metrics")).Length;
                times.Add(watch.Elapsed.TotalMilliseconds);
            }
            output.WriteLine($"{job}: /metrics {size} bytes, median {times.Order().ElementAt(5):0.0} ms");
        }
    }
}
