namespace StarGuide.HealthMonitor;

/// <summary>What <c>StarGuide.HealthMonitor --help</c> prints.</summary>
internal static class HealthMonitorUsage
{
    public const string Text = """
        usage: StarGuide.HealthMonitor [--Section:Key=value ...]

        The StarGuide Edge health monitor: probes every instance of every pool and publishes each one's verdict
        (healthy, unhealthy, recovered) on the message bus for the gateway and the scaler.

        Settings come from appsettings.json, environment variables (Section__Key) and the command line. Main ones:
          ConnectionStrings:rabbitmq      the broker, amqp://health-monitor:password@host:5672/ (required)
          Probing:Interval|Timeout|UnhealthyThreshold|HealthyThreshold    the probes
          Pools:<pool>:HealthPath         the path probed (default /health); Pools:<pool>:Instances:<n>:... static instances
          Management:Tokens:<name>:...    who may read /metrics

        Every setting: README.md, section "Configuration".

        """;
}
