namespace StarGuide.Gateway.Metrics;

/// <summary>Which of the framework's per-request instruments the gateway records (section <c>Gateway:Metrics</c>).</summary>
internal sealed class MetricsOptions
{
    public const string SectionName = "Gateway:Metrics";

    /// <summary>
    /// Also record .NET's <c>http.client.request.duration</c> and <c>http.client.active_requests</c> for the requests to
    /// the upstreams (duplicating <c>starguide.gateway.upstream.duration</c>, which has the route and pool). Off by
    /// default: their cost is in docs/measurements.md. Open connections, time in queue and routing match attempts stay
    /// out regardless (ServiceDefaults' <c>MetricViews</c>, for every service).
    /// </summary>
    public bool DetailedHttpInstruments { get; set; }
}
