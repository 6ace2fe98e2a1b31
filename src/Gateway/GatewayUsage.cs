namespace StarGuide.Gateway;

/// <summary>What <c>StarGuide.Gateway --help</c> prints.</summary>
internal static class GatewayUsage
{
    public const string Text = """
        usage: StarGuide.Gateway [--Section:Key=value ...]

        The StarGuide Edge gateway: a reverse proxy (YARP) in front of the instance pools, balancing, retrying and
        rate-limiting requests; it learns the pools' members from the scaler's and the health monitor's events.

        Settings come from appsettings.json, environment variables (Section__Key) and the command line. Main ones:
          ConnectionStrings:rabbitmq      the broker, amqp://gateway:password@host:5672/ (required)
          ConnectionStrings:redis         Redis, host:port (required unless Gateway:RateLimiting:Enabled=false)
          urls (ASPNETCORE_URLS)          the public listener, e.g. http://0.0.0.0:8080
          Gateway:Management:Port         /health, /alive and /metrics (default 8081, on 127.0.0.1)
          Gateway:Routes:<name>:...       the routes; Pools:<pool>:... the pools and their static instances
          Management:Tokens:<name>:...    who may read /metrics

        Every setting: README.md, section "Configuration", and docs/gateway.md.

        """;
}
