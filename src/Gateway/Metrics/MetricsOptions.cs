namespace StarGuide.Gateway.Metrics;

/// <summary>Which of the framework's per-request instruments the gateway records (section <c>Gateway:Metrics</c>).</summary>
internal sealed class MetricsOptions
{
    public const string SectionName = "Gateway:Metrics";

    /// <summary>
    /// Also record .NET's <c>http.client.*</c> instruments for the requests to the upstreams (request duration, active
    /// requests, open connections, time in queue: four to six updates per request, most of them duplicating
    /// <c>starguide.gateway.upstream.duration</c>, which has the route and pool) and ASP.NET's
    /// <c>aspnetcore.routing.match_attempts</c>. Off by default: their cost is in docs/measurements.md.
    /// </summary>
    public bool DetailedHttpInstruments { get; set; }
}
