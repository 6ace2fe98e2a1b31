namespace StarGuide.Scaler;

/// <summary>What <c>StarGuide.Scaler --help</c> prints.</summary>
internal static class ScalerUsage
{
    public const string Text = """
        usage: StarGuide.Scaler [--Section:Key=value ...]

        The StarGuide Edge scaler: owns the instance pools (starts, replaces and stops their instances through a
        driver: process, docker, systemd or kubernetes), autoscales them if asked, and publishes who is in each pool.
        Serves /pools, the scaling endpoints and the status page.

        Settings come from appsettings.json, environment variables (Section__Key) and the command line. Main ones:
          ConnectionStrings:rabbitmq      the broker, amqp://scaler:password@host:5672/ (required)
          ConnectionStrings:redis         Redis, host:port, where each pool's state is kept (required)
          Scaler:Pools:<pool>:Driver|Instances|MinInstances|MaxInstances|...   the pools and their driver
          Scaler:Pools:<pool>:Autoscaling:...                                  autoscaling (off by default)
          Management:Tokens:<name>:...    who may read and operate /pools, the status page and /metrics

        Every setting: README.md, section "Configuration", docs/scaler.md, docs/scaler-drivers.md, docs/autoscaling.md.

        """;
}
